import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { projectOf, readDocument, readValue, requireFlags } from "../../src/cli/resources/common.js";
import {
  combineRules,
  firewallCreateRequest,
  firewallName,
  firewallView,
  rulesFromDocument,
} from "../../src/cli/resources/firewall.js";
import { missingMachineCreateFlags } from "../../src/cli/resources/machine.js";
import { type Firewall, FirewallService } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallCreate allocates a firewall: a machine with a firewall image between the project's network and external ones. */
export default class FirewallCreate extends MetalCommand<Firewall> {
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
    partition: Flags.string({ summary: "Partition to allocate in." }),
    size: Flags.string({ summary: "Machine size." }),
    image: Flags.string({ summary: "Firewall image." }),
    "filesystem-layout": Flags.string({ summary: "Filesystem layout (default: the image's)." }),
    networks: Flags.string({
      summary: "The project's child network and external networks, comma separated or repeated.",
      multiple: true,
    }),
    ips: Flags.string({ summary: "Static IP addresses of the project to attach.", multiple: true }),
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

  async run(): Promise<Firewall> {
    const { flags } = await this.parse(FirewallCreate);
    const project = projectOf(this.deps);
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
    const stop = this.deps.io.spin("allocating a firewall");
    const res = await this.deps
      .client(FirewallService)
      .create(firewallCreateRequest(input, rules, project))
      .finally(stop);
    const firewall = res.firewall!;
    this.note(`Allocated firewall ${firewall.machine?.uuid} (${firewallName(firewall)}).`);
    return firewall;
  }

  protected override present(f: Firewall): Printable<Firewall> {
    return { view: firewallView, items: [f], list: false };
  }
}
