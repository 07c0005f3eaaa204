import { allPages } from "../../src/cli/api/paging.js";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf, remember } from "../../src/cli/resources/common.js";
import { firewallView } from "../../src/cli/resources/firewall.js";
import { type Firewall, FirewallService } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallList lists the project's firewalls. */
export default class FirewallList extends MetalCommand<Firewall[]> {
  static override summary = "List the project's firewalls.";
  static override description = "-o wide adds the egress and ingress rules.";
  static override aliases = ["firewall ls"];
  static override flags = { ...projectFlag };

  async run(): Promise<Firewall[]> {
    await this.parse(FirewallList);
    const client = this.deps.client(FirewallService);
    const project = projectOf(this.deps);
    const firewalls = await allPages(
      (paging) => client.list({ project, paging }),
      (res) => res.firewalls,
    );
    remember(
      this.deps,
      "firewall",
      firewalls.map((f) => ({
        value: f.machine?.uuid ?? "",
        description: f.machine?.allocation?.name ?? "",
      })),
    );
    return firewalls;
  }

  protected override present(items: Firewall[]): Printable<Firewall> {
    return { view: firewallView, items, list: true };
  }
}
