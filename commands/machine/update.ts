import { create } from "@bufbuild/protobuf";
import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { usageError } from "../../src/cli/errors.js";
import { fileFlag, projectFlag, refArg } from "../../src/cli/flags.js";
import { readDocument, readValue } from "../../src/cli/resources/common.js";
import { machine, machineUpdateFromDocument, machineUpdateRequest } from "../../src/cli/resources/machine.js";
import { UpdateCommand } from "../../src/cli/verbs/update.js";
import { UpdateLabelsSchema } from "../../src/gen/metalstack/api/v2/common_pb.js";
import type { Machine, MachineServiceUpdateRequest } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineUpdate changes name, description, labels or SSH keys, from flags or from a describe -o yaml file. */
export default class MachineUpdate extends UpdateCommand<
  typeof MachineUpdate,
  Machine,
  MachineServiceUpdateRequest
> {
  static override summary = "Change a machine's name, description, labels or SSH keys.";
  static override args = {
    id: refArg(machine, { description: "Machine ID (not with -f).", optional: true }),
  };
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
  static override completion = completionsOf(this);
  protected override readonly resource = machine;

  protected override async request(project: string): Promise<MachineServiceUpdateRequest> {
    const { flags } = this;
    if (flags.file) {
      const req = machineUpdateFromDocument(readDocument(flags.file), project);
      // Labels missing from the file were removed by the user.
      const current = await machine.get(this.deps, project, req.uuid);
      const kept = req.labels?.update ?? {};
      req.labels = create(UpdateLabelsSchema, {
        update: kept,
        remove: Object.keys(current.meta?.labels ?? {}).filter((k) => !(k in kept)),
      });
      return req;
    }
    if (!this.args.id) throw usageError("machine update: missing the machine ID", "or pass -f FILE");
    return machineUpdateRequest(
      await this.itemId(),
      {
        name: flags.name,
        description: flags.description,
        labels: flags.labels,
        removeLabels: flags["remove-labels"],
        sshPublicKeys: flags["ssh-public-key"]?.map((k) => readValue(k, "--ssh-public-key")),
      },
      project,
    );
  }
}
