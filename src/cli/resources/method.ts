import {
  createRegistry,
  type DescFile,
  type DescMethod,
  type DescService,
  type Registry,
} from "@bufbuild/protobuf";
import { MethodService } from "../../gen/metalstack/api/v2/method_pb.js";
import { generatedFiles } from "../../gen/metalstack/files.js";
import type { CompletionSource, Source } from "../completion/source.js";
import { usageError } from "../errors.js";

/** method names the API server's methods (SERVICE/METHOD) for completion: `api` and `token create --permission` take them. */
export const method: Source = { kind: "method", scope: "server" };

/** completion offers the methods the API server serves. */
export const completion: CompletionSource = {
  candidates: async (deps) =>
    (await deps.client(MethodService).list({})).methods.map((m) => ({ value: m.method.replace(/^\//, "") })),
};

/** Api is every service of the generated code (api, admin and infra), for `metalctl api`. */
export interface Api {
  registry: Registry;
  services: DescService[];
  /**
   * find resolves `SERVICE/METHOD`: the full name (metalstack.admin.v2.MachineService/List) or the
   * short service name (MachineService/List), which means the user API (metalstack.api.v2) when admin
   * or infra have a service of the same name; a leading slash is allowed.
   */
  find(spec: string): DescMethod;
}

/**
 * loadApi imports every generated file (the list `npm run generate` writes), so a method of a new
 * proto file can be called without a change here.
 */
export async function loadApi(): Promise<Api> {
  const files: DescFile[] = [];
  for (const module of await Promise.all(generatedFiles.map((load) => load()))) {
    files.push(...Object.values(module).filter(isFile));
  }
  const registry = createRegistry(...files);
  const services: DescService[] = [];
  for (const t of registry) if (t.kind === "service") services.push(t);
  return { registry, services, find: (spec) => findMethod(services, spec) };
}

/** methodPath is the Connect procedure path of a method without the leading slash. */
export function methodPath(m: DescMethod): string {
  return `${m.parent.typeName}/${m.name}`;
}

function isFile(v: unknown): v is DescFile {
  return typeof v === "object" && v !== null && (v as DescFile).kind === "file";
}

function findMethod(all: DescService[], spec: string): DescMethod {
  const [svcName, methodName, ...rest] = spec.replace(/^\//, "").split("/");
  if (!svcName || !methodName || rest.length) {
    throw usageError(`"${spec}" is not SERVICE/METHOD`, "e.g. metalstack.api.v2.MachineService/List");
  }
  let services = all.filter((s) => s.typeName === svcName || s.name === svcName);
  const user = services.filter((s) => s.typeName.startsWith("metalstack.api.v2."));
  if (services.length > 1 && user.length === 1) services = user;
  if (services.length === 0) {
    throw usageError(`unknown service "${svcName}"`, "`metalctl api --list` shows every method");
  }
  if (services.length > 1) {
    throw usageError(
      `"${svcName}" is ambiguous`,
      `use one of: ${services.map((s) => s.typeName).join(", ")}`,
    );
  }
  const method = services[0]!.methods.find((m) => m.name === methodName || m.localName === methodName);
  if (!method) {
    throw usageError(
      `${services[0]!.typeName} has no method "${methodName}"`,
      `use one of: ${services[0]!.methods.map((m) => m.name).join(", ")}`,
    );
  }
  return method;
}
