import { audit } from "../../src/cli/resources/audit.js";
import { auditListCommand } from "../../src/cli/verbs/audit-list.js";

/** audit list: a tenant's audit trail (owners), newest first, or followed with --follow. */
export default auditListCommand(audit, false, {
  summary: "List the audit trail of a tenant and its projects (tenant owners), newest first.",
  description:
    "The tenant is --tenant, else the tenant of the selected project. Every call is recorded, denied ones too; requests show with `audit describe`.",
  aliases: ["audit ls"],
  examples: [
    "<%= config.bin %> audit list --from 1h",
    "<%= config.bin %> audit list --status denied --method MachineService",
    "<%= config.bin %> audit list --follow",
  ],
  tenantSummary: "Tenant whose trail to list (default: the selected project's tenant).",
});
