import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, projectOf, yesFlag } from "../../src/cli/resources/common.js";
import { ipView } from "../../src/cli/resources/ip.js";
import { type IP, IPService } from "../../src/gen/metalstack/api/v2/ip_pb.js";

/** IPDelete releases an IP address after a confirmation (or --yes). */
export default class IPDelete extends MetalCommand<IP> {
  static override summary = "Release an IP address (asks unless --yes).";
  static override aliases = ["ip rm", "ip free"];
  static override args = { id: Args.string({ description: "IP ID.", required: true }) };
  static override flags = { ...projectFlag, ...yesFlag };

  async run(): Promise<IP> {
    const { args, flags } = await this.parse(IPDelete);
    const project = projectOf(this.deps);
    await confirmDestructive(this.deps, `release IP ${args.id} of project ${project}`, flags.yes);
    const ip = (await this.deps.client(IPService).delete({ project, id: args.id })).ip!;
    this.note(`Released ${ip.ip || args.id}.`);
    return ip;
  }

  protected override present(i: IP): Printable<IP> {
    return { view: ipView, items: [i], list: false };
  }
}
