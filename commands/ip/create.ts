import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, fileFlag, projectOf, readDocument, requireFlags } from "../../src/cli/resources/common.js";
import { ipCreateFromDocument, ipCreateRequest, ipView } from "../../src/cli/resources/ip.js";
import type { IPServiceCreateRequest } from "../../src/gen/metalstack/api/v2/ip_pb.js";
import { type IP, IPService, IPTypeSchema } from "../../src/gen/metalstack/api/v2/ip_pb.js";
import { AddressFamilySchema } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** IPCreate acquires an IP address (a given one, or the next free) in a network. */
export default class IPCreate extends MetalCommand<IP> {
  static override summary = "Acquire an IP address in a network.";
  static override aliases = ["ip allocate"];
  static override examples = ["<%= config.bin %> ip create --network internet --name web --type static"];
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    network: Flags.string({ summary: "Network to take the address from." }),
    ip: Flags.string({ summary: "A specific address (default: the next free one)." }),
    name: Flags.string({ summary: "Name." }),
    description: Flags.string({ summary: "Description." }),
    type: Flags.string({
      summary: "static stays with the project; ephemeral goes with its machine.",
      options: enumKeys(IPTypeSchema),
    }),
    labels: Flags.string({ summary: "Labels key=value.", multiple: true }),
    "address-family": Flags.string({ summary: "Address family.", options: enumKeys(AddressFamilySchema) }),
  };

  async run(): Promise<IP> {
    const { flags } = await this.parse(IPCreate);
    const project = projectOf(this.deps);
    let req: IPServiceCreateRequest;
    if (flags.file) {
      req = ipCreateFromDocument(readDocument(flags.file), project);
    } else {
      requireFlags(flags.network ? [] : ["network"], "ip create");
      req = ipCreateRequest({ ...flags, addressFamily: flags["address-family"] }, project);
    }
    const ip = (await this.deps.client(IPService).create(req)).ip!;
    this.note(`Acquired ${ip.ip} (${ip.id}).`);
    return ip;
  }

  protected override present(i: IP): Printable<IP> {
    return { view: ipView, items: [i], list: false };
  }
}
