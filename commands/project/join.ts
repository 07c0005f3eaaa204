import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { quietFlags } from "../../src/cli/flags.js";
import { readSecret } from "../../src/cli/resources/common.js";
import { projectRoleName } from "../../src/cli/resources/roles.js";
import { ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";

/** ProjectJoin accepts an invitation; the secret is read from stdin or a hidden prompt, never a flag. */
export default class ProjectJoin extends MetalCommand<typeof ProjectJoin> {
  static override summary = "Join a project with an invitation secret (stdin or hidden prompt).";
  static override baseFlags = quietFlags;
  static override examples = ['echo "$SECRET" | <%= config.bin %> project join'];
  static override flags = {
    "secret-stdin": Flags.boolean({ summary: "Read the secret from stdin even on a terminal." }),
  };

  async run(): Promise<void> {
    const secret = await readSecret(this.deps, "invitation secret", this.flags["secret-stdin"] ?? false);
    const res = await this.deps.client(ProjectService).inviteAccept({ secret });
    this.note(
      `Joined project ${res.projectName || res.project} (${res.project}) as ${projectRoleName(res.role)}.`,
    );
  }
}
