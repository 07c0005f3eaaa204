import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, projectOf, yesFlag } from "../../src/cli/resources/common.js";
import { type NetworkRow, networkView } from "../../src/cli/resources/network.js";
import { NetworkService } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkFree gives a child network back after a confirmation (or --yes). */
export default class NetworkFree extends MetalCommand<NetworkRow> {
  static override summary = "Free a child network of the project (asks unless --yes).";
  static override aliases = ["network delete", "network rm"];
  static override args = { id: Args.string({ description: "Network ID.", required: true }) };
  static override flags = { ...projectFlag, ...yesFlag };

  async run(): Promise<NetworkRow> {
    const { args, flags } = await this.parse(NetworkFree);
    const project = projectOf(this.deps);
    await confirmDestructive(this.deps, `free network ${args.id} of project ${project}`, flags.yes);
    const res = await this.deps.client(NetworkService).delete({ project, id: args.id });
    this.note(`Freed network ${args.id}.`);
    return { network: res.network!, branch: "" };
  }

  protected override present(r: NetworkRow): Printable<NetworkRow> {
    return { view: networkView, items: [r], list: false };
  }
}
