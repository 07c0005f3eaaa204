import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { ipView } from "../../src/cli/resources/ip.js";
import { type IP, IPService } from "../../src/gen/metalstack/api/v2/ip_pb.js";

/** IPDescribe shows one IP address of the project. */
export default class IPDescribe extends MetalCommand<IP> {
  static override summary = "Show one IP address.";
  static override aliases = ["ip get"];
  static override args = { id: Args.string({ description: "IP ID.", required: true }) };
  static override flags = { ...projectFlag };

  async run(): Promise<IP> {
    const { args } = await this.parse(IPDescribe);
    return (await this.deps.client(IPService).get({ project: projectOf(this.deps), id: args.id })).ip!;
  }

  protected override present(i: IP): Printable<IP> {
    return { view: ipView, items: [i], list: false };
  }
}
