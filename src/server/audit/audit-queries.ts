import { Code, ConnectError } from "@connectrpc/connect";
import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { Paging } from "../../gen/metalstack/api/v2/common_pb.js";
import { decodeTuplePageToken, pageOf, pageSize, tupleKey } from "../store/paging.js";
import type { Database } from "../store/schema.js";
import type { AuditLogRow } from "../store/token-schema.js";
import type { AuditFilter } from "./audit-filter.js";
import { AUDIT_COLUMNS } from "./audit-insert.js";

/** AuditListRow is an audit row as lists return it: everything but the request. */
export type AuditListRow = Omit<AuditLogRow, "request">;

/** LIST_COLUMNS are an audit row's columns but the request, which only describe shows. */
const LIST_COLUMNS = AUDIT_COLUMNS.filter(
  (c): c is Exclude<(typeof AUDIT_COLUMNS)[number], "request"> => c !== "request",
);

/** AuditSelect is a select over audit_log that auditFiltered can narrow. */
type AuditSelect = SelectQueryBuilder<Database, "audit_log", AuditListRow>;

/** auditSelect selects the list columns of audit rows matching the filter, in no particular order. */
export function auditSelect(db: Kysely<Database>, f: AuditFilter): AuditSelect {
  return (
    db
      .selectFrom("audit_log")
      .select(LIST_COLUMNS)
      .$if(f.tenant !== undefined, (q) => q.where("tenant", "=", f.tenant as string))
      .$if(f.from !== undefined, (q) => q.where("time", ">=", f.from as string))
      .$if(f.to !== undefined, (q) => q.where("time", "<", f.to as string))
      .$if(f.user !== undefined, (q) => q.where("user_id", "=", f.user as string))
      .$if(f.project !== undefined, (q) => q.where("project", "=", f.project as string))
      .$if(f.methods !== undefined, (q) => q.where("method", "in", f.methods as string[]))
      .$if(f.codes !== undefined, (q) => q.where("code", "in", f.codes as string[]))
      // Literal, not a parameter, so that the planner can use the partial indexes of failed calls.
      .$if(f.codes !== undefined && !f.codes.includes("ok"), (q) => q.where(sql<boolean>`code <> 'ok'`))
      .$if(f.requestId !== undefined, (q) => q.where("request_id", "=", f.requestId as string))
  );
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * listAuditPage returns one page of the audit rows matching the filter, newest first by (time, id).
 * It continues before the token's (time, id), so rows recorded while paging neither repeat nor shift
 * later pages; every filter column has an index ending in (time, id) for this order.
 */
export async function listAuditPage(
  db: Kysely<Database>,
  f: AuditFilter,
  paging: Paging | undefined,
): Promise<{ rows: AuditListRow[]; nextPageToken: string }> {
  const size = pageSize(paging);
  let q = auditSelect(db, f);
  if (paging?.pageToken) {
    const [time, id] = decodeTuplePageToken(paging.pageToken, "audit", 2, ([t]) =>
      ISO_TIME.test(t ?? ""),
    ) as [string, string];
    q = q.where(({ eb, refTuple, tuple }) => eb(refTuple("time", "id"), "<", tuple(time, id)));
  }
  const rows = await q
    .orderBy("time", "desc")
    .orderBy("id", "desc")
    .limit(size + 1)
    .execute();
  return pageOf(rows, size, (r) => tupleKey([r.time, r.id]));
}

/**
 * getAuditRow returns one audit row with its request; with `tenant` only a row about that tenant, so
 * another tenant's entry is NotFound just like a missing one.
 */
export async function getAuditRow(db: Kysely<Database>, id: string, tenant?: string): Promise<AuditLogRow> {
  const row = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("id", "=", id)
    .$if(tenant !== undefined, (q) => q.where("tenant", "=", tenant as string))
    .executeTakeFirst();
  if (!row) {
    throw new ConnectError(
      `audit entry ${id.slice(0, 64)} not found${tenant ? ` in tenant ${tenant}` : ""}`,
      Code.NotFound,
    );
  }
  return row;
}
