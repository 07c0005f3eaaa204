import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { projectFlag } from "../../src/cli/flags.js";
import { readDocument, readValue, requireFlags } from "../../src/cli/resources/common.js";
import { filesystem } from "../../src/cli/resources/filesystem.js";
import {
  combineRules,
  firewall,
  firewallCreateRequest,
  firewallName,
  rulesFromDocument,
} from "../../src/cli/resources/firewall.js";
import { image } from "../../src/cli/resources/image.js";
import { ip } from "../../src/cli/resources/ip.js";
import { missingMachineCreateFlags } from "../../src/cli/resources/machine.js";
import { resolveMachineNames } from "../../src/cli/resources/machine-names.js";
import { network } from "../../src/cli/resources/network.js";
import { partition } from "../../src/cli/resources/partition.js";
import { size } from "../../src/cli/resources/size.js";
import { CreateCommand } from "../../src/cli/verbs/create.js";
import type { Firewall, FirewallServiceCreateRequest } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallCreate allocates a firewall: a machine with a firewall image between the project's network and external ones. */
export default class FirewallCreate extends CreateCommand<
  typeof FirewallCreate,
  Firewall,
  FirewallServiceCreateRequest
> {
  static override summary = "Allocate a firewall with egress and ingress rules.";
  static override description =
    'A firewall needs a firewall image, the project\'s child network and at least one external network (e.g. internet). Rules are "PROTOCOL PORTS CIDRS [COMMENT]" flags and/or a YAML/JSON file {egress: [...], ingress: [...]}.';
  static override examples = [
    '<%= config.bin %> firewall create --name fw-1 --partition fra-1 --size c1-medium --image firewall-ubuntu-3.0 --networks my-net,internet --egress "tcp 443 0.0.0.0/0 https"',
    "<%= config.bin %> firewall create --name fw-1 ... --rules-file rules.yaml",
  ];
  static override flags = {
    ...projectFlag,
    name: Flags.string({ summary: "Firewall name." }),
    hostname: Flags.string({ summary: "Hostname (default: the name)." }),
    description: Flags.string({ summary: "Description." }),
    partition: Flags.string({ summary: "Partition to allocate in.", ...completeFrom(partition.ref) }),
    size: Flags.string({ summary: "Machine size.", ...completeFrom(size.ref) }),
    image: Flags.string({ summary: "Firewall image.", ...completeFrom(image.ref) }),
    "filesystem-layout": Flags.string({
      summary: "Filesystem layout (default: the image's).",
      ...completeFrom(filesystem.ref),
    }),
    networks: Flags.string({
      summary: "The project's child network and external networks, comma separated or repeated.",
      multiple: true,
      ...completeFrom(network.ref),
    }),
    ips: Flags.string({
      summary: "Static IP addresses of the project to attach.",
      multiple: true,
      ...completeFrom(ip.ref),
    }),
    "ssh-public-key": Flags.string({ summary: "SSH public key, or @file (repeatable).", multiple: true }),
    userdata: Flags.string({ summary: "Cloud-init userdata, or @file." }),
    labels: Flags.string({ summary: "Labels key=value (comma separated or repeated).", multiple: true }),
    egress: Flags.string({
      summary: 'Egress rule "PROTOCOL PORTS CIDRS [COMMENT]" (repeatable).',
      multiple: true,
    }),
    ingress: Flags.string({
      summary: 'Ingress rule "PROTOCOL PORTS CIDRS [COMMENT]" (repeatable).',
      multiple: true,
    }),
    "rules-file": Flags.string({
      summary: "YAML/JSON file with {egress: [...], ingress: [...]}; - for stdin.",
    }),
  };

  static override completion = completionsOf(this);
  protected override readonly resource = firewall;

  protected override request(project: string): Promise<FirewallServiceCreateRequest> {
    const { flags } = this;
    const input = {
      name: flags.name,
      hostname: flags.hostname,
      description: flags.description,
      partition: flags.partition,
      size: flags.size,
      image: flags.image,
      filesystemLayout: flags["filesystem-layout"],
      networks: flags.networks,
      ips: flags.ips,
      sshPublicKeys: flags["ssh-public-key"]?.map((k) => readValue(k, "--ssh-public-key")),
      userdata: flags.userdata === undefined ? undefined : readValue(flags.userdata, "--userdata"),
      labels: flags.labels,
    };
    requireFlags(missingMachineCreateFlags(input), "firewall create");
    const file = flags["rules-file"];
    const rules = combineRules(
      file ? rulesFromDocument(readDocument(file), file) : undefined,
      flags.egress,
      flags.ingress,
    );
    return resolveMachineNames(this.deps, firewallCreateRequest(input, rules, project));
  }

  protected override submit(req: FirewallServiceCreateRequest): Promise<Firewall> {
    const stop = this.deps.io.spin("allocating a firewall");
    return firewall.create(this.deps, req).finally(stop);
  }

  protected override created(f: Firewall): string {
    return `Allocated firewall ${f.machine?.uuid} (${firewallName(f)}).`;
  }
}
