import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { usageError } from "../../src/cli/errors.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { fileFlag, projectOf, readDocument } from "../../src/cli/resources/common.js";
import { combineRules, firewallView, rulesFromDocument } from "../../src/cli/resources/firewall.js";
import { type Firewall, FirewallService } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallUpdateRules replaces all rules of a firewall with those of a file and/or flags. */
export default class FirewallUpdateRules extends MetalCommand<Firewall> {
  static override summary = "Replace a firewall's egress and ingress rules.";
  static override description =
    'The new rules are those of -f (YAML/JSON {egress: [...], ingress: [...]}, each rule {protocol, ports, cidrs, comment}) plus every --egress/--ingress "PROTOCOL PORTS CIDRS [COMMENT]"; rules not named are removed. --generation guards against concurrent changes.';
  static override examples = [
    "<%= config.bin %> firewall update-rules 0a1b2c3d-… -f rules.yaml",
    '<%= config.bin %> firewall update-rules 0a1b2c3d-… --egress "tcp 80,443 0.0.0.0/0" --ingress "tcp 22 10.0.0.0/8 ssh"',
  ];
  static override args = { id: Args.string({ description: "Firewall (machine) ID.", required: true }) };
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    egress: Flags.string({
      summary: 'Egress rule "PROTOCOL PORTS CIDRS [COMMENT]" (repeatable).',
      multiple: true,
    }),
    ingress: Flags.string({
      summary: 'Ingress rule "PROTOCOL PORTS CIDRS [COMMENT]" (repeatable).',
      multiple: true,
    }),
    generation: Flags.integer({
      summary: "Rules generation you read (fails if changed since); 0 skips the check.",
      default: 0,
      min: 0,
    }),
  };

  async run(): Promise<Firewall> {
    const { args, flags } = await this.parse(FirewallUpdateRules);
    if (!flags.file && !flags.egress && !flags.ingress) {
      throw usageError("firewall update-rules: name the new rules", "pass -f FILE and/or --egress/--ingress");
    }
    const rules = combineRules(
      flags.file ? rulesFromDocument(readDocument(flags.file), flags.file) : undefined,
      flags.egress,
      flags.ingress,
    );
    const res = await this.deps.client(FirewallService).updateRules({
      project: projectOf(this.deps),
      uuid: args.id,
      updateMeta: { generation: BigInt(flags.generation) },
      rules,
    });
    this.note(`Replaced the rules of firewall ${args.id}.`);
    return res.firewall!;
  }

  protected override present(f: Firewall): Printable<Firewall> {
    return { view: firewallView, items: [f], list: false };
  }
}
