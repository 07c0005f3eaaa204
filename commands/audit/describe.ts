import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { refArg } from "../../src/cli/flags.js";
import { audit, auditDetail, getAuditEntry } from "../../src/cli/resources/audit.js";
import { tenant } from "../../src/cli/resources/tenant.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import type { AuditEntry } from "../../src/gen/metalstack/api/v2/audit_pb.js";

/** audit describe ID: one audit entry of a tenant's trail with its redacted request (tenant owners). */
export default class AuditDescribe extends ResourceCommand<typeof AuditDescribe, AuditEntry> {
  static override summary = "Show one audit entry with its request (secrets redacted).";
  static override args = { id: refArg(audit) };
  static override flags = {
    tenant: Flags.string({
      summary: "Tenant whose trail holds the entry (default: the selected project's tenant).",
      ...completeFrom(tenant.ref),
    }),
  };
  static override examples = ["<%= config.bin %> audit describe 0b9c3f4e-5d1a-4c55-9a8e-1f2d3c4b5a69"];
  static override completion = completionsOf(this);
  protected override readonly resource = audit;

  async run(): Promise<AuditEntry> {
    const entry = await getAuditEntry(this.deps, this.flags, await this.itemId());
    this.print(auditDetail(entry));
    return entry;
  }
}
