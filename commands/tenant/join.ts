import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { quietFlags } from "../../src/cli/flags.js";
import { readSecret } from "../../src/cli/resources/common.js";
import { tenantRoleName } from "../../src/cli/resources/roles.js";
import { TenantService } from "../../src/gen/metalstack/api/v2/tenant_pb.js";

/** TenantJoin accepts an invitation; the secret is read from stdin or a hidden prompt, never a flag. */
export default class TenantJoin extends MetalCommand<typeof TenantJoin> {
  static override summary = "Join a tenant with an invitation secret (stdin or hidden prompt).";
  static override baseFlags = quietFlags;
  static override examples = ['echo "$SECRET" | <%= config.bin %> tenant join'];
  static override flags = {
    "secret-stdin": Flags.boolean({ summary: "Read the secret from stdin even on a terminal." }),
  };

  async run(): Promise<void> {
    const secret = await readSecret(this.deps, "invitation secret", this.flags["secret-stdin"] ?? false);
    const res = await this.deps.client(TenantService).inviteAccept({ secret });
    this.note(
      `Joined tenant ${res.tenantName || res.tenant} (${res.tenant}) as ${tenantRoleName(res.role)}.`,
    );
  }
}
