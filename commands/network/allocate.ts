import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { fileFlag, projectFlag } from "../../src/cli/flags.js";
import { askPartition } from "../../src/cli/resources/ask.js";
import { enumKeys, readDocument, requireFlags } from "../../src/cli/resources/common.js";
import {
  type NetworkRow,
  network,
  networkAllocateFromDocument,
  networkAllocateRequest,
} from "../../src/cli/resources/network.js";
import { partition } from "../../src/cli/resources/partition.js";
import { lookupId } from "../../src/cli/resources/resource.js";
import { CreateCommand } from "../../src/cli/verbs/create.js";
import {
  AddressFamilySchema,
  type NetworkServiceCreateRequest,
} from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkAllocate takes a child network for the project from a base network of the partition. */
export default class NetworkAllocate extends CreateCommand<
  typeof NetworkAllocate,
  NetworkRow,
  NetworkServiceCreateRequest
> {
  static override summary = "Allocate a child network for the project.";
  static override aliases = ["network create"];
  static override examples = ["<%= config.bin %> network allocate --name my-net --partition fra-1"];
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "Network name." }),
    description: Flags.string({ summary: "Description." }),
    partition: Flags.string({ summary: "Partition of the network.", ...completeFrom(partition.ref) }),
    parent: Flags.string({
      summary: "Base network to take the prefix from (default: the partition's).",
      ...completeFrom(network.ref),
    }),
    labels: Flags.string({ summary: "Labels key=value.", multiple: true }),
    "ipv4-length": Flags.integer({ summary: "IPv4 prefix length (default: the parent's child length)." }),
    "ipv6-length": Flags.integer({ summary: "IPv6 prefix length." }),
    "address-family": Flags.string({ summary: "Address family.", options: enumKeys(AddressFamilySchema) }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = network;

  protected override async request(project: string): Promise<NetworkServiceCreateRequest> {
    const req = await this.build(project);
    const [partitionId, parentId] = await Promise.all([
      req.partition ? lookupId(this.deps, partition, "", req.partition) : "",
      req.parentNetworkId ? lookupId(this.deps, network, project, req.parentNetworkId) : "",
    ]);
    req.partition = partitionId;
    req.parentNetworkId = parentId;
    return req;
  }

  /** build is the request as flags or file give it, before the names in it are looked up. */
  private async build(project: string): Promise<NetworkServiceCreateRequest> {
    const { flags } = this;
    if (flags.file) return networkAllocateFromDocument(readDocument(flags.file), project);
    let { name, partition: part } = flags;
    if (this.deps.io.canPrompt) {
      if (!name) name = await this.deps.prompter.input("Network name");
      if (!part) part = await askPartition(this.deps);
    }
    requireFlags([name ? "" : "name", part ? "" : "partition"].filter(Boolean), "network allocate", true);
    return networkAllocateRequest(
      {
        name,
        description: flags.description,
        partition: part,
        parent: flags.parent,
        labels: flags.labels,
        ipv4Length: flags["ipv4-length"],
        ipv6Length: flags["ipv6-length"],
        addressFamily: flags["address-family"],
      },
      project,
    );
  }

  protected override created(r: NetworkRow): string {
    return `Allocated network ${r.network.id} (${r.network.prefixes.join(", ")}).`;
  }
}
