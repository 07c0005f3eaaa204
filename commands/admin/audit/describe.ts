import { adminAudit } from "../../../src/cli/resources/admin-audit.js";
import { auditDetail } from "../../../src/cli/resources/audit.js";
import { describeCommand } from "../../../src/cli/verbs/describe.js";
import type { AuditEntry } from "../../../src/gen/metalstack/api/v2/audit_pb.js";

/** admin audit describe ID: any audit entry with its redacted request (operators). */
export default class extends describeCommand(adminAudit, {
  summary: "Show any audit entry with its request (operators; secrets redacted).",
}) {
  protected override show(entry: AuditEntry): void {
    this.print(auditDetail(entry));
  }
}
