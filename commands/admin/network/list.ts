import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { type NetworkRow, networkTree, networkView } from "../../../src/cli/resources/network.js";
import { NetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";

/** AdminNetworkList lists all networks as a tree: base networks with every project's children. */
export default class AdminNetworkList extends MetalCommand<NetworkRow[]> {
  static override summary = "List all networks (operators).";
  static override aliases = ["admin network ls"];
  static override flags = {
    project: Flags.string({ summary: "Only networks of this project." }),
    partition: Flags.string({ summary: "Only networks in this partition." }),
  };

  async run(): Promise<NetworkRow[]> {
    const { flags } = await this.parse(AdminNetworkList);
    const res = await this.deps.client(NetworkService).list({
      ...(flags.project ? { project: flags.project } : {}),
      ...(flags.partition ? { partition: flags.partition } : {}),
    });
    return networkTree(res.networks);
  }

  protected override present(items: NetworkRow[]): Printable<NetworkRow> {
    return { view: networkView, items, list: true };
  }
}
