import {
  create,
  type DescFile,
  type DescMessage,
  type DescService,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import {
  type ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
  ServerReflectionResponseSchema,
} from "../../../gen/grpc/reflection/v1/reflection_pb.js";
import type { AppContext } from "../../context.js";

interface Index {
  services: string[];
  files: Map<string, DescFile>;
  /** Fully-qualified symbol (message, enum, service, method, extension) → file defining it. */
  symbols: Map<string, DescFile>;
  /** Extended message → extension number → file. */
  extensions: Map<string, Map<number, DescFile>>;
}

function buildIndex(services: readonly DescService[]): Index {
  const index: Index = { services: [], files: new Map(), symbols: new Map(), extensions: new Map() };
  const addMessage = (file: DescFile, m: DescMessage) => {
    index.symbols.set(m.typeName, file);
    for (const e of m.nestedEnums) index.symbols.set(e.typeName, file);
    for (const n of m.nestedMessages) addMessage(file, n);
  };
  const addFile = (file: DescFile) => {
    if (index.files.has(file.name)) return;
    index.files.set(file.name, file);
    for (const m of file.messages) addMessage(file, m);
    for (const e of file.enums) index.symbols.set(e.typeName, file);
    for (const s of file.services) {
      index.symbols.set(s.typeName, file);
      for (const m of s.methods) index.symbols.set(`${s.typeName}.${m.name}`, file);
    }
    for (const x of file.extensions) {
      index.symbols.set(x.typeName, file);
      const byNumber = index.extensions.get(x.extendee.typeName) ?? new Map<number, DescFile>();
      byNumber.set(x.number, file);
      index.extensions.set(x.extendee.typeName, byNumber);
    }
    for (const dep of file.dependencies) addFile(dep);
  };
  for (const s of services) {
    index.services.push(s.typeName);
    addFile(s.file);
  }
  return index;
}

// A file comes with everything it imports, so a client can resolve it in one round trip.
function withDependencies(file: DescFile): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const visit = (f: DescFile) => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    out.push(toBinary(FileDescriptorProtoSchema, f.proto));
    for (const d of f.dependencies) visit(d);
  };
  visit(file);
  return out;
}

function answer(index: Index, req: ServerReflectionRequest): ServerReflectionResponse {
  const res = (messageResponse: MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"]) =>
    create(ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req, messageResponse });
  const files = (file: DescFile | undefined, what: string) =>
    file
      ? res({ case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } })
      : res({
          case: "errorResponse",
          value: { errorCode: Code.NotFound, errorMessage: `${what} not found` },
        });
  const m = req.messageRequest;
  switch (m.case) {
    case "listServices":
      return res({
        case: "listServicesResponse",
        value: { service: index.services.map((name) => ({ name })) },
      });
    case "fileByFilename":
      return files(index.files.get(m.value), `file ${m.value}`);
    case "fileContainingSymbol":
      return files(index.symbols.get(m.value), `symbol ${m.value}`);
    case "fileContainingExtension":
      return files(
        index.extensions.get(m.value.containingType)?.get(m.value.extensionNumber),
        `extension ${m.value.extensionNumber} of ${m.value.containingType}`,
      );
    case "allExtensionNumbersOfType":
      return res({
        case: "allExtensionNumbersResponse",
        value: {
          baseTypeName: m.value,
          extensionNumber: [...(index.extensions.get(m.value)?.keys() ?? [])],
        },
      });
    default:
      return res({
        case: "errorResponse",
        value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" },
      });
  }
}

/** reflectionService implements gRPC server reflection v1 over the descriptors of every served service. */
export function reflectionService(ctx: AppContext): Partial<ServiceImpl<typeof ServerReflection>> {
  let index: Index | undefined;
  return {
    async *serverReflectionInfo(requests) {
      index ??= buildIndex(ctx.permissions.services);
      for await (const req of requests) yield answer(index, req);
    },
  };
}
