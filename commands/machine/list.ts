import { Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, projectOf, remember } from "../../src/cli/resources/common.js";
import { machineListRequest, machineView } from "../../src/cli/resources/machine.js";
import {
  type Machine,
  MachineService,
  MachineStateSchema,
} from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineList lists the project's machines, filtered on the server and sorted with --sort-by. */
export default class MachineList extends MetalCommand<Machine[]> {
  static override summary = "List the project's machines.";
  static override description =
    "LAST EVENT is the newest provisioning event and AGE how long ago it arrived. STATUS is the liveliness " +
    "(alive: an event within five minutes, dead: older, unknown: never any) followed by the markers " +
    "locked (no delete or reinstall) and reserved (allocation skips it); -o wide adds rack, the reason " +
    "for the lock or reservation, hostname, allocation age, IPs and labels.";
  static override aliases = ["machine ls"];
  static override examples = [
    "<%= config.bin %> machine list --partition fra-1 --sort-by name",
    "<%= config.bin %> machine list --labels env=prod -o wide",
  ];
  static override flags = {
    ...projectFlag,
    id: Flags.string({ summary: "Only the machine with this ID." }),
    name: Flags.string({ summary: "Only machines with this name." }),
    hostname: Flags.string({ summary: "Only machines with this hostname." }),
    partition: Flags.string({ summary: "Only machines in this partition." }),
    size: Flags.string({ summary: "Only machines of this size." }),
    image: Flags.string({ summary: "Only machines with this image." }),
    rack: Flags.string({ summary: "Only machines in this rack." }),
    state: Flags.string({ summary: "Only machines in this state.", options: enumKeys(MachineStateSchema) }),
    labels: Flags.string({ summary: "Only machines with all these labels key=value.", multiple: true }),
  };

  async run(): Promise<Machine[]> {
    const { flags } = await this.parse(MachineList);
    const project = projectOf(this.deps);
    const client = this.deps.client(MachineService);
    const req = machineListRequest(flags, project);
    const machines: Machine[] = [];
    let pageToken = "";
    do {
      const res = await client.list({ project: req.project, query: req.query, paging: { pageToken } });
      machines.push(...res.machines);
      pageToken = res.nextPageToken;
    } while (pageToken);
    const filtered = Object.keys(flags).some((k) => k !== "project" && (flags as Record<string, unknown>)[k]);
    if (!filtered) {
      remember(
        this.deps,
        "machine",
        machines.map((m) => ({ value: m.uuid, description: m.allocation?.name ?? "" })),
      );
    }
    return machines;
  }

  protected override present(items: Machine[]): Printable<Machine> {
    return { view: machineView, items, list: true };
  }
}
