import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { fileFlag, projectFlag } from "../../src/cli/flags.js";
import { askIpNetwork } from "../../src/cli/resources/ask.js";
import { enumKeys, readDocument, requireFlags } from "../../src/cli/resources/common.js";
import { ip, ipCreateFromDocument, ipCreateRequest } from "../../src/cli/resources/ip.js";
import { network } from "../../src/cli/resources/network.js";
import { lookupId } from "../../src/cli/resources/resource.js";
import { CreateCommand } from "../../src/cli/verbs/create.js";
import { type IP, type IPServiceCreateRequest, IPTypeSchema } from "../../src/gen/metalstack/api/v2/ip_pb.js";
import { AddressFamilySchema } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** IPCreate acquires an IP address (a given one, or the next free) in a network. */
export default class IPCreate extends CreateCommand<typeof IPCreate, IP, IPServiceCreateRequest> {
  static override summary = "Acquire an IP address in a network.";
  static override aliases = ["ip allocate"];
  static override examples = ["<%= config.bin %> ip create --network internet --name web --type static"];
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    network: Flags.string({ summary: "Network to take the address from.", ...completeFrom(network.ref) }),
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
  static override completion = completionsOf(this);
  protected override readonly resource = ip;

  protected override async request(project: string): Promise<IPServiceCreateRequest> {
    const { flags } = this;
    let req: IPServiceCreateRequest;
    if (flags.file) req = ipCreateFromDocument(readDocument(flags.file), project);
    else {
      let net = flags.network;
      if (!net && this.deps.io.canPrompt) net = await askIpNetwork(this.deps, project);
      requireFlags(net ? [] : ["network"], "ip create", true);
      req = ipCreateRequest({ ...flags, network: net, addressFamily: flags["address-family"] }, project);
    }
    req.network = await lookupId(this.deps, network, project, req.network);
    return req;
  }

  protected override created(i: IP): string {
    return `Acquired ${i.ip} (${i.id}).`;
  }
}
