import { Flags } from "@oclif/core";
import { allPages } from "../../src/cli/api/paging.js";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, projectOf, remember } from "../../src/cli/resources/common.js";
import { ipListRequest, ipView } from "../../src/cli/resources/ip.js";
import { type IP, IPService, IPTypeSchema } from "../../src/gen/metalstack/api/v2/ip_pb.js";

/** IPList lists the project's IP addresses. */
export default class IPList extends MetalCommand<IP[]> {
  static override summary = "List the project's IP addresses.";
  static override aliases = ["ip ls"];
  static override flags = {
    ...projectFlag,
    network: Flags.string({ summary: "Only addresses of this network." }),
    ip: Flags.string({ summary: "Only this address." }),
    type: Flags.string({ summary: "Only addresses of this type.", options: enumKeys(IPTypeSchema) }),
    machine: Flags.string({ summary: "Only addresses of this machine." }),
    name: Flags.string({ summary: "Only addresses with this name." }),
  };

  async run(): Promise<IP[]> {
    const { flags } = await this.parse(IPList);
    const { project: _p, ...filters } = flags;
    const client = this.deps.client(IPService);
    const req = ipListRequest(filters, projectOf(this.deps));
    const ips = await allPages(
      (paging) => client.list({ ...req, paging }),
      (res) => res.ips,
    );
    if (!Object.values(filters).some(Boolean)) {
      remember(
        this.deps,
        "ip",
        ips.map((i) => ({ value: i.id, description: `${i.ip} ${i.name}`.trim() })),
      );
    }
    return ips;
  }

  protected override present(items: IP[]): Printable<IP> {
    return { view: ipView, items, list: true };
  }
}
