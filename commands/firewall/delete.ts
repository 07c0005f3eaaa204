import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, projectOf, yesFlag } from "../../src/cli/resources/common.js";
import { firewallView } from "../../src/cli/resources/firewall.js";
import { type Firewall, FirewallService } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallDelete frees a firewall's machine and drops its rules after a confirmation (or --yes). */
export default class FirewallDelete extends MetalCommand<Firewall> {
  static override summary = "Free a firewall (asks for confirmation unless --yes).";
  static override aliases = ["firewall rm"];
  static override args = { id: Args.string({ description: "Firewall (machine) ID.", required: true }) };
  static override flags = { ...projectFlag, ...yesFlag };

  async run(): Promise<Firewall> {
    const { args, flags } = await this.parse(FirewallDelete);
    const project = projectOf(this.deps);
    await confirmDestructive(this.deps, `free firewall ${args.id} in project ${project}`, flags.yes);
    const res = await this.deps.client(FirewallService).delete({ project, uuid: args.id });
    this.note(`Freed firewall ${args.id}.`);
    return res.firewall!;
  }

  protected override present(f: Firewall): Printable<Firewall> {
    return { view: firewallView, items: [f], list: false };
  }
}
