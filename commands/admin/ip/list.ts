import { Flags } from "@oclif/core";
import { allPages } from "../../../src/cli/api/paging.js";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { ipView } from "../../../src/cli/resources/ip.js";
import { IPService } from "../../../src/gen/metalstack/admin/v2/ip_pb.js";
import type { IP } from "../../../src/gen/metalstack/api/v2/ip_pb.js";

/** AdminIpList lists every ip of all projects and tenants (operators). */
export default class AdminIpList extends MetalCommand<IP[]> {
  static override summary = "List all ips (operators).";
  static override aliases = ["admin ip ls"];
  static override flags = {
    project: Flags.string({ summary: "Only addresses of this project." }),
    network: Flags.string({ summary: "Only addresses of this network." }),
  };

  async run(): Promise<IP[]> {
    const { flags } = await this.parse(AdminIpList);
    const client = this.deps.client(IPService);
    const req = {
      ...(flags.project ? { project: flags.project } : {}),
      ...(flags.network ? { network: flags.network } : {}),
    };
    return allPages(
      (paging) => client.list({ ...req, paging }),
      (res) => res.ips,
    );
  }

  protected override present(items: IP[]): Printable<IP> {
    return { view: ipView, items, list: true };
  }
}
