import { Flags } from "@oclif/core";
import { allPages } from "../../../src/cli/api/paging.js";
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
    const client = this.deps.client(NetworkService);
    const req = {
      ...(flags.project ? { project: flags.project } : {}),
      ...(flags.partition ? { partition: flags.partition } : {}),
    };
    // The tree places children under their parents, so it needs every page before it is drawn.
    const networks = await allPages(
      (paging) => client.list({ ...req, paging }),
      (res) => res.networks,
    );
    return networkTree(networks);
  }

  protected override present(items: NetworkRow[]): Printable<NetworkRow> {
    return { view: networkView, items, list: true };
  }
}
