import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { type AuditQuery, AuditQuerySchema } from "../../gen/metalstack/api/v2/audit_pb.js";
import type { PermissionTable } from "../authz/permission-table.js";
import { codeName } from "../interceptors/audit.js";
import { PENDING_CODE } from "./audit-log-writer.js";

/** AuditFilter is a validated audit query: ISO bounds, resolved procedures, known codes; unset matches all. */
export interface AuditFilter {
  /** Only calls about this tenant or its projects. */
  tenant?: string;
  /** Inclusive lower bound, ISO-8601. */
  from?: string;
  /** Exclusive upper bound, ISO-8601. */
  to?: string;
  user?: string;
  project?: string;
  /** Any of these procedure paths. */
  methods?: string[];
  /** Any of these result codes. */
  codes?: string[];
  requestId?: string;
}

const MAX_ID = 128;
/** RESULT_CODES are the values of the audit log's code column: "ok", every Connect code name, "pending". */
const RESULT_CODES: readonly string[] = [
  "ok",
  ...Array.from({ length: 16 }, (_, i) => codeName(i + 1)),
  PENDING_CODE,
];

/**
 * auditFilterOf validates a query (InvalidArgument naming the field) and resolves its method to the
 * procedure paths it names in `table`; `tenant` confines the filter to one tenant's calls.
 */
export function auditFilterOf(
  query: AuditQuery | undefined,
  table: PermissionTable,
  tenant: string,
): AuditFilter {
  const q = query ?? create(AuditQuerySchema);
  const f: AuditFilter = {};
  if (tenant) f.tenant = bounded(tenant, "tenant");
  if (q.from) f.from = isoOf(q.from, "query.from");
  if (q.to) f.to = isoOf(q.to, "query.to");
  if (f.from && f.to && f.from >= f.to) {
    throw new ConnectError("query.to: must be later than query.from", Code.InvalidArgument);
  }
  if (q.user) f.user = bounded(q.user, "query.user");
  if (q.project) f.project = bounded(q.project, "query.project");
  if (q.requestId) f.requestId = bounded(q.requestId, "query.request_id");
  if (q.method) f.methods = resolveMethod(q.method, table);
  if (q.codes.length > 0) {
    const unknown = q.codes.filter((c) => !RESULT_CODES.includes(c));
    if (unknown.length > 0) {
      throw new ConnectError(
        `query.codes: unknown result code "${unknown[0]?.slice(0, 40)}"; use one of ${RESULT_CODES.join(", ")}`,
        Code.InvalidArgument,
      );
    }
    f.codes = [...new Set(q.codes)];
  }
  return f;
}

function isoOf(ts: Timestamp, field: string): string {
  const date = timestampDate(ts);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
    throw new ConnectError(`${field}: not a time between 1970 and 9999`, Code.InvalidArgument);
  }
  return date.toISOString();
}

function bounded(value: string, field: string): string {
  if (value.length > MAX_ID) {
    throw new ConnectError(`${field}: at most ${MAX_ID} characters`, Code.InvalidArgument);
  }
  return value;
}

/**
 * resolveMethod turns "/pkg.Service/Method", "Service/Method" or "Service" (any case, package optional)
 * into the procedure paths it names. A full path is taken as given, so calls of methods this server no
 * longer serves stay findable.
 */
function resolveMethod(method: string, table: PermissionTable): string[] {
  const wanted = bounded(method, "query.method");
  if (/^\/[\w.]+\/\w+$/.test(wanted)) return [wanted];
  const [service, name] = wanted.toLowerCase().split("/") as [string, string | undefined];
  const matches = [...table.rules.values()]
    .filter((r) => {
      const s = r.method.parent;
      const serviceMatches = s.name.toLowerCase() === service || s.typeName.toLowerCase() === service;
      return serviceMatches && (name === undefined || r.method.name.toLowerCase() === name);
    })
    .map((r) => r.procedure);
  if (matches.length === 0) {
    throw new ConnectError(
      `query.method: "${wanted.slice(0, 80)}" names no method; give a procedure path such as ` +
        `/metalstack.api.v2.MachineService/Create, MachineService/Create or MachineService ` +
        "(`metalctl api --list` lists them)",
      Code.InvalidArgument,
    );
  }
  return matches.sort();
}
