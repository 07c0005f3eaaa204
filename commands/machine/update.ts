import { create } from "@bufbuild/protobuf";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { usageError } from "../../src/cli/errors.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { fileFlag, projectOf, readDocument, readValue } from "../../src/cli/resources/common.js";
import {
  machineUpdateFromDocument,
  machineUpdateRequest,
  machineView,
} from "../../src/cli/resources/machine.js";
import { UpdateLabelsSchema } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { type Machine, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineUpdate changes name, description, labels or SSH keys, from flags or from a describe -o yaml file. */
export default class MachineUpdate extends MetalCommand<Machine> {
  static override summary = "Change a machine's name, description, labels or SSH keys.";
  static override args = { id: Args.string({ description: "Machine ID (not with -f)." }) };
  static override examples = [
    "<%= config.bin %> machine update ID --labels env=prod --remove-labels temp",
    "<%= config.bin %> machine describe ID -o yaml > m.yaml && $EDITOR m.yaml && <%= config.bin %> machine update -f m.yaml",
  ];
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
    "ssh-public-key": Flags.string({
      summary: "Replace the SSH keys (key or @file, repeatable).",
      multiple: true,
    }),
  };

  async run(): Promise<Machine> {
    const { args, flags } = await this.parse(MachineUpdate);
    const project = projectOf(this.deps);
    const client = this.deps.client(MachineService);
    if (flags.file) {
      const req = machineUpdateFromDocument(readDocument(flags.file), project);
      // Labels missing from the file were removed by the user.
      const current = (await client.get({ project, uuid: req.uuid })).machine;
      const kept = req.labels?.update ?? {};
      req.labels = create(UpdateLabelsSchema, {
        update: kept,
        remove: Object.keys(current?.meta?.labels ?? {}).filter((k) => !(k in kept)),
      });
      return (await client.update(req)).machine!;
    }
    if (!args.id) throw usageError("machine update: missing the machine ID", "or pass -f FILE");
    const req = machineUpdateRequest(
      args.id,
      {
        name: flags.name,
        description: flags.description,
        labels: flags.labels,
        removeLabels: flags["remove-labels"],
        sshPublicKeys: flags["ssh-public-key"]?.map((k) => readValue(k, "--ssh-public-key")),
      },
      project,
    );
    return (await client.update(req)).machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
