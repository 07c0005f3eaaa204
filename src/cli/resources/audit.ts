import { create, toJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AuditService as AdminAuditService } from "../../gen/metalstack/admin/v2/audit_pb.js";
import {
  type AuditEntry,
  AuditEntrySchema,
  type AuditQuery,
  AuditQuerySchema,
  AuditService,
} from "../../gen/metalstack/api/v2/audit_pb.js";
import { type Paging, PagingSchema } from "../../gen/metalstack/api/v2/common_pb.js";
import type { CompletionSource } from "../completion/source.js";
import type { Deps } from "../deps.js";
import { parseDuration } from "../duration.js";
import { usageError } from "../errors.js";
import type { Detail, JsonValue } from "../output/printer.js";
import { date, protoView, splitList } from "./common.js";
import { project } from "./project.js";
import { type Gets, type Lists, lookupId, type Ref } from "./resource.js";

/** auditView shows audit entries: when, who, which method, the result, and (wide) where from. */
export const auditView = protoView(AuditEntrySchema, [
  { header: "ID", value: (e: AuditEntry) => e.id },
  {
    header: "Time",
    value: (e: AuditEntry) => date(e.time)?.toISOString() ?? "",
    sortKey: (e: AuditEntry) => date(e.time)?.getTime() ?? 0,
  },
  { header: "User", value: (e: AuditEntry) => e.user },
  { header: "Method", value: (e: AuditEntry) => shortMethod(e.method) },
  {
    header: "Result",
    value: (e: AuditEntry) => e.code,
    tone: (e: AuditEntry) => (e.code === "ok" || e.code === "pending" ? undefined : "red"),
  },
  { header: "Project", value: (e: AuditEntry) => e.project },
  { header: "Tenant", value: (e: AuditEntry) => e.tenant, wide: true },
  {
    header: "Duration",
    value: (e: AuditEntry) => `${e.durationMs}ms`,
    sortKey: (e) => e.durationMs,
    wide: true,
  },
  { header: "Client", value: (e: AuditEntry) => e.clientAddress, wide: true },
  { header: "Request ID", value: (e: AuditEntry) => e.requestId, wide: true },
]);

/** shortMethod drops the package from a procedure path: /metalstack.api.v2.IPService/Create → IPService/Create (admin ones keep "admin."). */
export function shortMethod(method: string): string {
  const m = /^\/metalstack\.(\w+)\.v2\.(\w+\/\w+)$/.exec(method);
  if (!m) return method;
  return m[1] === "api" ? (m[2] as string) : `${m[1]}.${m[2]}`;
}

/** auditDetail is `audit describe`: the entry's fields and its redacted request, pretty-printed. */
export function auditDetail(e: AuditEntry): Detail {
  const json = toJson(AuditEntrySchema, e) as { [k: string]: JsonValue };
  return {
    json,
    text: () => {
      const rows: [string, string][] = [
        ["ID", e.id],
        ["Time", date(e.time)?.toISOString() ?? ""],
        ["User", e.user],
        ["Token", e.token],
        ["Method", e.method],
        ["Result", e.code],
        ["Tenant", e.tenant],
        ["Project", e.project],
        ["Duration", `${e.durationMs}ms`],
        ["Client", e.clientAddress],
        ["Request ID", e.requestId],
      ];
      const lines = rows.filter(([, v]) => v).map(([k, v]) => `${`${k}:`.padEnd(12)}${v}`);
      return `${lines.join("\n")}\nRequest:\n${indent(prettyRequest(e.request))}\n`;
    },
  };
}

function prettyRequest(request: string): string {
  if (!request) return "(none recorded)";
  try {
    return JSON.stringify(JSON.parse(request), null, 2);
  } catch {
    return request; // truncated by the server: shown as stored
  }
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

/** STATUS_ALIASES are the --status words that stand for several result codes. */
const STATUS_ALIASES: Record<string, string[]> = { denied: ["permission_denied", "unauthenticated"] };

/** RESULT_CODES are what the audit log records as a call's result: "ok", a Connect code name, or "pending". */
const RESULT_CODES = [
  "ok",
  "pending",
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
];

/** parseStatus turns --status values (comma separated, repeatable; "denied" means permission_denied and unauthenticated) into result codes. */
export function parseStatus(values: readonly string[] | undefined): string[] {
  const codes = new Set<string>();
  for (const raw of splitList(values)) {
    const v = raw.toLowerCase().replaceAll("-", "_");
    const alias = STATUS_ALIASES[v];
    if (alias) for (const c of alias) codes.add(c);
    else if (RESULT_CODES.includes(v)) codes.add(v);
    else {
      throw usageError(
        `--status: "${raw}" is not a result`,
        `use one of: denied, ${RESULT_CODES.join(", ")}`,
      );
    }
  }
  return [...codes];
}

/**
 * parseTime reads --from/--to: a duration before now (`1h`, `2d`) or an RFC 3339 time
 * (`2026-01-31T12:00:00Z`, or a date `2026-01-31`, meaning midnight UTC).
 */
export function parseTime(text: string, flag: string, now: Date): Date {
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const d = new Date(text.trim());
    if (Number.isNaN(d.getTime())) {
      throw usageError(
        `${flag} "${text}" is not a time`,
        "use e.g. 2026-01-31T12:00:00Z or a duration like 1h",
      );
    }
    return d;
  }
  return new Date(now.getTime() - parseDuration(text, flag));
}

/** AuditFlags are the filter flags of `audit list` and `admin audit list`. */
export interface AuditFlags {
  from?: string | undefined;
  to?: string | undefined;
  user?: string | undefined;
  method?: string | undefined;
  project?: string | undefined;
  status?: string[] | undefined;
  "request-id"?: string | undefined;
  tenant?: string | undefined;
  limit?: number | undefined;
}

/**
 * auditQuery builds the server's query from the flags. A tenant owner may name the project by its
 * unique name among their projects; operators name it by ID (it need not be one of theirs).
 */
export async function auditQuery(
  deps: Deps,
  flags: AuditFlags,
  opts: { admin: boolean; follow?: boolean },
): Promise<AuditQuery> {
  const { follow } = opts;
  const now = deps.now();
  const q = create(AuditQuerySchema, {
    user: flags.user ?? "",
    method: flags.method ?? "",
    codes: parseStatus(flags.status),
    requestId: flags["request-id"] ?? "",
  });
  const from = flags.from ? parseTime(flags.from, "--from", now) : undefined;
  const to = flags.to ? parseTime(flags.to, "--to", now) : undefined;
  if (follow && (to || flags.limit)) throw usageError("--follow has no end; leave out --to and --limit");
  if (from && to && from >= to) throw usageError("--to must be later than --from");
  if (from) q.from = timestampFromDate(from);
  if (to) q.to = timestampFromDate(to);
  if (flags.project) {
    q.project = opts.admin ? flags.project : await lookupId(deps, project, "", flags.project);
  }
  return q;
}

/**
 * pagesUntil follows a newest-first list's pages until the last one or until `limit` entries
 * (0: no limit); a server that repeats a page token is an error rather than an endless loop.
 */
export async function pagesUntil(
  limit: number,
  fetchPage: (paging: Paging) => Promise<{ entries: AuditEntry[]; nextPageToken: string }>,
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  const seen = new Set<string>();
  let pageToken = "";
  do {
    const res = await fetchPage(create(PagingSchema, { pageToken }));
    entries.push(...res.entries);
    if (limit > 0 && entries.length >= limit) return entries.slice(0, limit);
    pageToken = res.nextPageToken;
    if (seen.has(pageToken))
      throw new Error("the server repeated a page token; the list cannot be completed");
    seen.add(pageToken);
  } while (pageToken);
  return entries;
}

/**
 * auditTenant is the tenant whose trail a tenant owner reads: --tenant, else the tenant of the
 * project the list filters by, else the tenant of the selected project.
 */
export async function auditTenant(deps: Deps, flags: { tenant?: string | undefined }): Promise<string> {
  if (flags.tenant) return flags.tenant;
  const selected = deps.target().project;
  if (!selected) {
    throw usageError(
      "no tenant selected for the audit trail",
      "pass --tenant, or select a project of the tenant with --project or `metalctl project set`",
    );
  }
  return (await project.get(deps, "", await lookupId(deps, project, "", selected))).tenant;
}

/** getAuditEntry reads one entry of the tenant the flags name (see auditTenant), with its request. */
export async function getAuditEntry(
  deps: Deps,
  flags: { tenant?: string | undefined },
  id: string,
): Promise<AuditEntry> {
  const tenant = await auditTenant(deps, flags);
  return (await deps.client(AuditService).get({ tenant, id })).entry!;
}

/** ENTRY_REF is how commands name an audit entry: by ID, offered from the newest entries. */
export const ENTRY_REF = {
  arg: "id",
  description: "Audit entry ID (from audit list).",
  candidate: (e: AuditEntry) => ({
    value: e.id,
    description: `${e.user} ${shortMethod(e.method)} ${e.code}`,
  }),
};

/** audit is a tenant's audit trail as its owners read it (api.v2 AuditService). */
export const audit: Lists<AuditEntry, AuditFlags> & Gets<AuditEntry> & { ref: Ref<AuditEntry> } = {
  scope: "server",
  noun: "audit entry",
  view: auditView,
  ref: { kind: "audit", scope: "server", ...ENTRY_REF },
  list: async (deps, _project, flags) => {
    const [tenant, query] = await Promise.all([
      auditTenant(deps, flags),
      auditQuery(deps, flags, { admin: false }),
    ]);
    const client = deps.client(AuditService);
    return pagesUntil(flags.limit ?? 0, (paging) => client.list({ tenant, query, paging }));
  },
  get: (deps, _project, id) => getAuditEntry(deps, {}, id),
};

/** watchAudit streams new audit entries matching the flags until `signal` aborts (the user's or the operators' trail). */
export async function* watchAudit(
  deps: Deps,
  admin: boolean,
  flags: AuditFlags,
  signal: AbortSignal,
): AsyncGenerator<AuditEntry> {
  const query = await auditQuery(deps, flags, { admin, follow: true });
  // 0 turns off the transport's default request timeout, which must not end a watch.
  const opts = { signal, timeoutMs: 0 };
  const stream = admin
    ? deps.client(AdminAuditService).watch({ tenant: flags.tenant ?? "", query }, opts)
    : deps.client(AuditService).watch({ tenant: await auditTenant(deps, flags), query }, opts);
  for await (const res of stream) if (res.entry) yield res.entry;
}

/** completion offers the newest entries of the selected project's tenant. */
export const completion: CompletionSource = {
  candidates: async (deps) => (await audit.list(deps, "", { limit: 50 })).map((e) => audit.ref.candidate(e)),
};
