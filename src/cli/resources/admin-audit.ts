import { AuditService as AdminAuditService } from "../../gen/metalstack/admin/v2/audit_pb.js";
import type { AuditEntry } from "../../gen/metalstack/api/v2/audit_pb.js";
import type { CompletionSource } from "../completion/source.js";
import { type AuditFlags, auditQuery, auditView, ENTRY_REF, pagesUntil } from "./audit.js";
import type { Gets, Lists, Ref } from "./resource.js";

/** adminAudit is the whole audit trail as operators read it (admin.v2 AuditService). */
export const adminAudit: Lists<AuditEntry, AuditFlags> & Gets<AuditEntry> & { ref: Ref<AuditEntry> } = {
  scope: "server",
  noun: "audit entry",
  view: auditView,
  ref: { kind: "admin-audit", scope: "server", ...ENTRY_REF },
  list: async (deps, _project, flags) => {
    const query = await auditQuery(deps, flags, { admin: true });
    const client = deps.client(AdminAuditService);
    return pagesUntil(flags.limit ?? 0, (paging) =>
      client.list({ tenant: flags.tenant ?? "", query, paging }),
    );
  },
  get: async (deps, _project, id) => (await deps.client(AdminAuditService).get({ id })).entry!,
};

/** completion offers the newest entries of the whole trail. */
export const completion: CompletionSource = {
  candidates: async (deps) =>
    (await adminAudit.list(deps, "", { limit: 50 })).map((e) => adminAudit.ref.candidate(e)),
};
