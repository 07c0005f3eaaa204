import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type AuditEntry, AuditEntrySchema } from "../../gen/metalstack/api/v2/audit_pb.js";
import type { AuditLogRow } from "../store/token-schema.js";
import type { AuditListRow } from "./audit-queries.js";

/** auditEntryOf renders an audit row; the request (already redacted when written) only when the row has it. */
export function auditEntryOf(row: AuditListRow | AuditLogRow): AuditEntry {
  return create(AuditEntrySchema, {
    id: row.id,
    time: timestampFromDate(new Date(row.time)),
    user: row.user_id,
    token: row.token_id,
    method: row.method,
    tenant: row.tenant,
    project: row.project,
    code: row.code,
    durationMs: Number(row.duration_ms),
    clientAddress: row.client_address,
    requestId: row.request_id,
    request: "request" in row ? row.request : "",
  });
}
