import { Flags } from "@oclif/core";
import { allPages } from "../../src/cli/api/paging.js";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, parseEnum, projectOf, remember } from "../../src/cli/resources/common.js";
import { type NetworkRow, networkTree, networkView } from "../../src/cli/resources/network.js";
import { NetworkService, NetworkTypeSchema } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkList shows the base networks the project may use and the project's child networks as a tree. */
export default class NetworkList extends MetalCommand<NetworkRow[]> {
  static override summary = "List networks: base networks with the project's child networks beneath them.";
  static override aliases = ["network ls"];
  static override flags = {
    ...projectFlag,
    name: Flags.string({ summary: "Only networks with this name." }),
    partition: Flags.string({ summary: "Only networks in this partition." }),
    type: Flags.string({ summary: "Only networks of this type.", options: enumKeys(NetworkTypeSchema) }),
  };

  async run(): Promise<NetworkRow[]> {
    const { flags } = await this.parse(NetworkList);
    const client = this.deps.client(NetworkService);
    const req = {
      project: projectOf(this.deps),
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.partition ? { partition: flags.partition } : {}),
      ...(flags.type ? { type: parseEnum(NetworkTypeSchema, flags.type, "--type") } : {}),
    };
    // The tree places children under their parents, so it needs every page before it is drawn.
    const networks = await allPages(
      (paging) => client.list({ ...req, paging }),
      (res) => res.networks,
    );
    if (!flags.name && !flags.partition && !flags.type) {
      remember(
        this.deps,
        "network",
        networks.map((n) => ({ value: n.id, description: n.name })),
      );
    }
    return networkTree(networks);
  }

  protected override present(items: NetworkRow[]): Printable<NetworkRow> {
    return { view: networkView, items, list: true };
  }
}
