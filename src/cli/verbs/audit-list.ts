import { type Command, Flags, type Interfaces } from "@oclif/core";
import type { AuditEntry } from "../../gen/metalstack/api/v2/audit_pb.js";
import { completeFrom, completionsOf } from "../completion/source.js";
import { type AuditFlags, auditView, watchAudit } from "../resources/audit.js";
import { method } from "../resources/method.js";
import { project } from "../resources/project.js";
import type { Lists } from "../resources/resource.js";
import { tenant } from "../resources/tenant.js";
import { ListCommand } from "./list.js";
import type { Help } from "./resource-command.js";

/** auditFilterFlags are the filters `audit list` and `admin audit list` share. */
const auditFilterFlags = {
  from: Flags.string({
    summary: "Only entries since then: a duration ago (1h, 2d) or a time (2026-01-31T12:00:00Z).",
  }),
  to: Flags.string({ summary: "Only entries before then: a duration ago or a time." }),
  user: Flags.string({ summary: "Only calls of this user." }),
  method: Flags.string({
    summary: "Only calls of this method (MachineService/Create) or service (MachineService).",
    ...completeFrom(method),
  }),
  status: Flags.string({
    summary:
      "Only calls with this result: ok, denied (permission_denied, unauthenticated), not_found, pending, … (repeatable, comma separated).",
    multiple: true,
  }),
  "request-id": Flags.string({ summary: "Only calls of one CLI command (its x-request-id)." }),
  limit: Flags.integer({ summary: "Stop after this many entries (default: all pages).", min: 1 }),
  follow: Flags.boolean({
    char: "f",
    summary:
      "Keep printing new entries as they are recorded, oldest first (Ctrl-C to stop); with --from, replay since then first.",
  }),
};

/**
 * auditListCommand makes `audit list` (a tenant's trail, `admin: false`) or `admin audit list`
 * (everyone's): newest first over all pages, or with --follow the entries as the server records them.
 */
export function auditListCommand(
  resource: Lists<AuditEntry, AuditFlags>,
  admin: boolean,
  help: Help & { tenantSummary: string },
) {
  const flags = {
    ...auditFilterFlags,
    project: Flags.string({
      char: admin ? undefined : "p",
      summary: admin ? "Only calls about this project (ID)." : "Only calls about this project (ID or name).",
      ...completeFrom(project.ref),
    }),
    tenant: Flags.string({ summary: help.tenantSummary, ...(admin ? {} : completeFrom(tenant.ref)) }),
  };
  return class extends ListCommand<typeof Command, AuditEntry> {
    static override summary = help.summary;
    static override description = help.description;
    static override aliases = help.aliases ?? [];
    static override examples = help.examples ?? [];
    static override flags: Interfaces.FlagInput = flags;
    static override completion = completionsOf(this);
    protected override readonly resource = resource as Lists<AuditEntry, never>;

    /** An audit trail is never remembered whole for completion: it only grows. */
    protected override filtered(): boolean {
      return true;
    }

    override async run(): Promise<AuditEntry[]> {
      const f = this.flags as AuditFlags & { follow?: boolean };
      if (!f.follow) return super.run();
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      let first = true;
      try {
        for await (const entry of watchAudit(this.deps, admin, f, abort.signal)) {
          this.printStreamed(auditView, entry, first);
          first = false;
        }
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
      return [];
    }
  };
}
