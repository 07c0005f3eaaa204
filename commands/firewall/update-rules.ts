import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { usageError } from "../../src/cli/errors.js";
import { fileFlag, projectFlag, refArg } from "../../src/cli/flags.js";
import { readDocument } from "../../src/cli/resources/common.js";
import { combineRules, firewall, rulesFromDocument } from "../../src/cli/resources/firewall.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Firewall, FirewallService } from "../../src/gen/metalstack/api/v2/firewall_pb.js";

/** FirewallUpdateRules replaces all rules of a firewall with those of a file and/or flags. */
export default class FirewallUpdateRules extends ResourceCommand<typeof FirewallUpdateRules, Firewall> {
  static override summary = "Replace a firewall's egress and ingress rules.";
  static override description =
    'The new rules are those of -f (YAML/JSON {egress: [...], ingress: [...]}, each rule {protocol, ports, cidrs, comment}) plus every --egress/--ingress "PROTOCOL PORTS CIDRS [COMMENT]"; rules not named are removed. --generation guards against concurrent changes.';
  static override examples = [
    "<%= config.bin %> firewall update-rules 0a1b2c3d-… -f rules.yaml",
    '<%= config.bin %> firewall update-rules 0a1b2c3d-… --egress "tcp 80,443 0.0.0.0/0" --ingress "tcp 22 10.0.0.0/8 ssh"',
  ];
  static override args = { id: refArg(firewall) };
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

  static override completion = completionsOf(this);
  protected override readonly resource = firewall;

  async run(): Promise<Firewall> {
    const { flags } = this;
    if (!flags.file && !flags.egress && !flags.ingress) {
      throw usageError("firewall update-rules: name the new rules", "pass -f FILE and/or --egress/--ingress");
    }
    const rules = combineRules(
      flags.file ? rulesFromDocument(readDocument(flags.file), flags.file) : undefined,
      flags.egress,
      flags.ingress,
    );
    const uuid = await this.itemId();
    const res = await this.deps.client(FirewallService).updateRules({
      project: await this.scopeProject(),
      uuid,
      updateMeta: { generation: BigInt(flags.generation) },
      rules,
    });
    this.note(`Replaced the rules of firewall ${uuid}.`);
    this.printItem(firewall.view, res.firewall!);
    return res.firewall!;
  }
}
