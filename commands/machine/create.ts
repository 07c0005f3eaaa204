import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { parseDuration } from "../../src/cli/duration.js";
import { fileFlag, projectFlag } from "../../src/cli/flags.js";
import { readDocument, readValue, requireFlags } from "../../src/cli/resources/common.js";
import { filesystem } from "../../src/cli/resources/filesystem.js";
import { image } from "../../src/cli/resources/image.js";
import { ip } from "../../src/cli/resources/ip.js";
import {
  type MachineCreateInput,
  machine,
  machineCreateFromDocument,
  machineCreateRequest,
  machineLabel,
  missingMachineCreateFlags,
} from "../../src/cli/resources/machine.js";
import { resolveMachineNames } from "../../src/cli/resources/machine-names.js";
import { askMachineCreateInput } from "../../src/cli/resources/machine-prompts.js";
import { waitForPhonedHome } from "../../src/cli/resources/machine-wait.js";
import { network } from "../../src/cli/resources/network.js";
import { partition } from "../../src/cli/resources/partition.js";
import { size } from "../../src/cli/resources/size.js";
import { CreateCommand } from "../../src/cli/verbs/create.js";
import {
  type Machine,
  MachineService,
  type MachineServiceCreateRequest,
} from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineCreate allocates a machine in the project; missing values are asked for on a terminal. */
export default class MachineCreate extends CreateCommand<
  typeof MachineCreate,
  Machine,
  MachineServiceCreateRequest
> {
  static override summary = "Allocate a machine and install an image on it.";
  static override description =
    "On a terminal, missing values are asked for interactively; without one, the missing flags are named.";
  static override examples = [
    "<%= config.bin %> machine create --name web-1 --partition fra-1 --size c1-medium --image ubuntu-24.04 --networks my-net --wait",
    "<%= config.bin %> machine create -f machine.yaml",
  ];
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "Machine name." }),
    hostname: Flags.string({ summary: "Hostname (default: the name)." }),
    description: Flags.string({ summary: "Description." }),
    partition: Flags.string({ summary: "Partition to allocate in.", ...completeFrom(partition.ref) }),
    size: Flags.string({ summary: "Machine size.", ...completeFrom(size.ref) }),
    image: Flags.string({ summary: "OS image.", ...completeFrom(image.ref) }),
    "filesystem-layout": Flags.string({
      summary: "Filesystem layout (default: the image's).",
      ...completeFrom(filesystem.ref),
    }),
    networks: Flags.string({
      summary: "Networks, comma separated or repeated; NETWORK:noauto takes no ephemeral IP.",
      multiple: true,
      ...completeFrom(network.ref),
    }),
    ips: Flags.string({
      summary: "Static IP addresses of the project to attach.",
      multiple: true,
      ...completeFrom(ip.ref),
    }),
    "ssh-public-key": Flags.string({
      summary: "SSH public key, or @file (repeatable).",
      multiple: true,
      aliases: ["ssh-public-keys"],
    }),
    userdata: Flags.string({ summary: "Cloud-init userdata, or @file." }),
    labels: Flags.string({ summary: "Labels key=value (comma separated or repeated).", multiple: true }),
    wait: Flags.boolean({ summary: "Follow the provisioning until the machine phoned home." }),
    "wait-timeout": Flags.string({ summary: "How long --wait waits, e.g. 10m.", default: "10m" }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = machine;

  protected override async request(project: string): Promise<MachineServiceCreateRequest> {
    const { flags } = this;
    if (flags.file)
      return resolveMachineNames(this.deps, machineCreateFromDocument(readDocument(flags.file), project));
    let input: MachineCreateInput = {
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
    if (missingMachineCreateFlags(input).length && this.deps.io.canPrompt) {
      input = await askMachineCreateInput(this.deps, input, project);
    }
    requireFlags(missingMachineCreateFlags(input), "machine create", true);
    return resolveMachineNames(this.deps, machineCreateRequest(input, project));
  }

  protected override async submit(req: MachineServiceCreateRequest): Promise<Machine> {
    const waitMs = parseDuration(this.flags["wait-timeout"], "--wait-timeout");
    const stop = this.deps.io.spin("allocating a machine");
    const created = await machine.create(this.deps, req).finally(stop);
    const label = machineLabel(created);
    this.note(`Allocated machine ${label}.`);
    if (!this.flags.wait) return created;
    const project = await this.scopeProject();
    const client = this.deps.client(MachineService);
    await waitForPhonedHome({
      client,
      project,
      uuid: created.uuid,
      label,
      timeoutMs: waitMs,
      io: this.deps.io,
    });
    return (await client.get({ project, uuid: created.uuid })).machine ?? created;
  }
}
