import type { JsonValue } from "@bufbuild/protobuf";
import {
  HealthService,
  type HealthServiceGetResponse,
  ServiceStatus,
} from "../../gen/metalstack/api/v2/health_pb.js";
import { type Version, VersionService } from "../../gen/metalstack/api/v2/version_pb.js";
import { requireApiUrl } from "../config/target.js";
import type { Deps } from "../deps.js";
import type { Detail } from "../output/printer.js";
import { renderTable } from "../output/table.js";

/** VersionReport is the client's version and, when an API server is selected, the server's. */
export interface VersionReport {
  client: { version: string; node: string };
  apiUrl?: string;
  server?: Version;
}

/** serverVersion asks the selected API server for its version; the call needs no login. */
export async function serverVersion(deps: Deps): Promise<Version | undefined> {
  const client = deps.clientFor(VersionService, requireApiUrl(deps.target()), "");
  return (await client.get({})).version;
}

/** serverHealth asks the selected API server for its health; the call needs no login. */
export async function serverHealth(deps: Deps): Promise<HealthServiceGetResponse> {
  return deps.clientFor(HealthService, requireApiUrl(deps.target()), "").get({});
}

/** versionDetail shows the client and server versions as lines, or as JSON. */
export function versionDetail(r: VersionReport): Detail {
  const json: Record<string, JsonValue> = { client: { ...r.client } };
  if (r.apiUrl) json.apiUrl = r.apiUrl;
  if (r.server)
    json.server = { version: r.server.version, revision: r.server.revision, node: r.server.nodeVersion };
  return {
    json,
    text() {
      const lines = [`Client: metalctl ${r.client.version} (node ${r.client.node})`];
      if (!r.apiUrl) lines.push("Server: none selected (run `metalctl login` or pass --api-url)");
      else if (r.server) {
        const rev = r.server.revision ? `, revision ${r.server.revision}` : "";
        lines.push(
          `Server: metal-apiserver ${r.server.version} (node ${r.server.nodeVersion}${rev}) at ${r.apiUrl}`,
        );
      }
      return `${lines.join("\n")}\n`;
    },
  };
}

/** statusName is a health status in lower case, e.g. "healthy". */
export function statusName(s: ServiceStatus): string {
  return (ServiceStatus[s] ?? "unspecified").toLowerCase();
}

/** healthDetail shows the server's overall health and each subsystem's. */
export function healthDetail(apiUrl: string, h: HealthServiceGetResponse): Detail {
  return {
    json: {
      apiUrl,
      status: statusName(h.status),
      subsystems: h.subsystems.map((s) => ({
        name: s.name,
        status: statusName(s.status),
        message: s.message,
      })),
    },
    text() {
      const rows = h.subsystems.map((s) => [s.name, statusName(s.status), s.message]);
      const table = rows.length ? `\n${renderTable(["Subsystem", "Status", "Message"], rows)}` : "";
      return `Server ${apiUrl} is ${statusName(h.status)}.\n${table}`;
    },
  };
}
