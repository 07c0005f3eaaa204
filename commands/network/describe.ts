import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { type NetworkRow, networkView } from "../../src/cli/resources/network.js";
import { NetworkService } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkDescribe shows one network the project may see. */
export default class NetworkDescribe extends MetalCommand<NetworkRow> {
  static override summary = "Show one network.";
  static override aliases = ["network get"];
  static override args = { id: Args.string({ description: "Network ID.", required: true }) };
  static override flags = { ...projectFlag };

  async run(): Promise<NetworkRow> {
    const { args } = await this.parse(NetworkDescribe);
    const res = await this.deps.client(NetworkService).get({ project: projectOf(this.deps), id: args.id });
    return { network: res.network!, branch: "" };
  }

  protected override present(r: NetworkRow): Printable<NetworkRow> {
    return { view: networkView, items: [r], list: false };
  }
}
