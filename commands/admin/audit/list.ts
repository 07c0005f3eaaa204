import { adminAudit } from "../../../src/cli/resources/admin-audit.js";
import { auditListCommand } from "../../../src/cli/verbs/audit-list.js";

/** admin audit list: every caller's audit trail (operators), newest first, or followed with --follow. */
export default auditListCommand(adminAudit, true, {
  summary: "List the whole audit trail (operators), newest first.",
  aliases: ["admin audit ls"],
  examples: [
    "<%= config.bin %> admin audit list --user alice --from 1d",
    "<%= config.bin %> admin audit list --status denied --follow",
  ],
  tenantSummary: "Only calls about this tenant or its projects.",
});
