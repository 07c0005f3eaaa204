import type { AuditEntry, AuditQuery } from "../../gen/metalstack/api/v2/audit_pb.js";
import type { Paging } from "../../gen/metalstack/api/v2/common_pb.js";
import type { AppContext } from "../context.js";
import { auditFilterOf } from "./audit-filter.js";
import { getAuditRow, listAuditPage } from "./audit-queries.js";
import { auditEntryOf } from "./audit-view.js";
import { watchAuditRows } from "./audit-watch.js";

/** AuditTrail is what both audit services serve; a non-empty `tenant` confines every call to that tenant. */
export interface AuditTrail {
  list(
    tenant: string,
    query: AuditQuery | undefined,
    paging: Paging | undefined,
  ): Promise<{ entries: AuditEntry[]; nextPageToken: string }>;
  get(tenant: string, id: string): Promise<AuditEntry>;
  watch(tenant: string, query: AuditQuery | undefined, signal: AbortSignal): AsyncGenerator<AuditEntry>;
}

/** createAuditTrail reads the audit log of the context's database. */
export function createAuditTrail(ctx: AppContext): AuditTrail {
  const db = ctx.db.kysely;
  const filterOf = (tenant: string, query: AuditQuery | undefined) =>
    auditFilterOf(query, ctx.permissions, tenant);
  return {
    async list(tenant, query, paging) {
      const { rows, nextPageToken } = await listAuditPage(db, filterOf(tenant, query), paging);
      return { entries: rows.map(auditEntryOf), nextPageToken };
    },
    async get(tenant, id) {
      return auditEntryOf(await getAuditRow(db, id, tenant || undefined));
    },
    async *watch(tenant, query, signal) {
      for await (const row of watchAuditRows(db, filterOf(tenant, query), ctx.now, signal)) {
        yield auditEntryOf(row);
      }
    },
  };
}
