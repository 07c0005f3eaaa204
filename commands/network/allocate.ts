import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, fileFlag, projectOf, readDocument, requireFlags } from "../../src/cli/resources/common.js";
import {
  type NetworkRow,
  networkAllocateFromDocument,
  networkAllocateRequest,
  networkView,
} from "../../src/cli/resources/network.js";
import type { NetworkServiceCreateRequest } from "../../src/gen/metalstack/api/v2/network_pb.js";
import { AddressFamilySchema, NetworkService } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkAllocate takes a child network for the project from a base network of the partition. */
export default class NetworkAllocate extends MetalCommand<NetworkRow> {
  static override summary = "Allocate a child network for the project.";
  static override aliases = ["network create"];
  static override examples = ["<%= config.bin %> network allocate --name my-net --partition fra-1"];
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "Network name." }),
    description: Flags.string({ summary: "Description." }),
    partition: Flags.string({ summary: "Partition of the network." }),
    parent: Flags.string({ summary: "Base network to take the prefix from (default: the partition's)." }),
    labels: Flags.string({ summary: "Labels key=value.", multiple: true }),
    "ipv4-length": Flags.integer({ summary: "IPv4 prefix length (default: the parent's child length)." }),
    "ipv6-length": Flags.integer({ summary: "IPv6 prefix length." }),
    "address-family": Flags.string({ summary: "Address family.", options: enumKeys(AddressFamilySchema) }),
  };

  async run(): Promise<NetworkRow> {
    const { flags } = await this.parse(NetworkAllocate);
    const project = projectOf(this.deps);
    let req: NetworkServiceCreateRequest;
    if (flags.file) {
      req = networkAllocateFromDocument(readDocument(flags.file), project);
    } else {
      requireFlags(
        [flags.name ? "" : "name", flags.partition ? "" : "partition"].filter(Boolean),
        "network allocate",
      );
      req = networkAllocateRequest(
        {
          name: flags.name,
          description: flags.description,
          partition: flags.partition,
          parent: flags.parent,
          labels: flags.labels,
          ipv4Length: flags["ipv4-length"],
          ipv6Length: flags["ipv6-length"],
          addressFamily: flags["address-family"],
        },
        project,
      );
    }
    const res = await this.deps.client(NetworkService).create(req);
    this.note(`Allocated network ${res.network!.id} (${res.network!.prefixes.join(", ")}).`);
    return { network: res.network!, branch: "" };
  }

  protected override present(r: NetworkRow): Printable<NetworkRow> {
    return { view: networkView, items: [r], list: false };
  }
}
