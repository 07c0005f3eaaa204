import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { parseDuration } from "../../src/cli/duration.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import {
  fileFlag,
  projectOf,
  readDocument,
  readValue,
  requireFlags,
} from "../../src/cli/resources/common.js";
import {
  type MachineCreateInput,
  machineCreateFromDocument,
  machineCreateRequest,
  machineView,
  missingMachineCreateFlags,
} from "../../src/cli/resources/machine.js";
import { askMachineCreateInput } from "../../src/cli/resources/machine-prompts.js";
import { waitForPhonedHome } from "../../src/cli/resources/machine-wait.js";
import type { MachineServiceCreateRequest } from "../../src/gen/metalstack/api/v2/machine_pb.js";
import { type Machine, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineCreate allocates a machine in the project; missing values are asked for on a terminal. */
export default class MachineCreate extends MetalCommand<Machine> {
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
    partition: Flags.string({ summary: "Partition to allocate in." }),
    size: Flags.string({ summary: "Machine size." }),
    image: Flags.string({ summary: "OS image." }),
    "filesystem-layout": Flags.string({ summary: "Filesystem layout (default: the image's)." }),
    networks: Flags.string({
      summary: "Networks, comma separated or repeated; NETWORK:noauto takes no ephemeral IP.",
      multiple: true,
    }),
    ips: Flags.string({ summary: "Static IP addresses of the project to attach.", multiple: true }),
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

  async run(): Promise<Machine> {
    const { flags } = await this.parse(MachineCreate);
    const project = projectOf(this.deps);
    const client = this.deps.client(MachineService);
    let req: MachineServiceCreateRequest;
    if (flags.file) {
      req = machineCreateFromDocument(readDocument(flags.file), project);
    } else {
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
      requireFlags(missingMachineCreateFlags(input), "machine create");
      req = machineCreateRequest(input, project);
    }
    const waitMs = parseDuration(flags["wait-timeout"], "--wait-timeout");
    const stop = this.deps.io.spin("allocating a machine");
    const res = await client.create(req).finally(stop);
    const machine = res.machine!;
    this.note(`Allocated machine ${machine.uuid} (${machine.allocation?.name ?? req.name}).`);
    if (!flags.wait) return machine;
    await waitForPhonedHome({ client, project, uuid: machine.uuid, timeoutMs: waitMs, io: this.deps.io });
    return (await client.get({ project, uuid: machine.uuid })).machine ?? machine;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
