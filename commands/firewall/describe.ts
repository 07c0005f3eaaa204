import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { firewallView } from "../../src/cli/resources/firewall.js";
import { type Firewall, FirewallService } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallDescribe shows one firewall (use -o yaml for all fields and rules). */
export default class FirewallDescribe extends MetalCommand<Firewall> {
  static override summary = "Show one firewall.";
  static override aliases = ["firewall get"];
  static override args = { id: Args.string({ description: "Firewall (machine) ID.", required: true }) };
  static override flags = { ...projectFlag };

  async run(): Promise<Firewall> {
    const { args } = await this.parse(FirewallDescribe);
    const res = await this.deps.client(FirewallService).get({ project: projectOf(this.deps), uuid: args.id });
    return res.firewall!;
  }

  protected override present(f: Firewall): Printable<Firewall> {
    return { view: firewallView, items: [f], list: false };
  }
}
