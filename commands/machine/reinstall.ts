import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { confirmDestructive, date, projectOf, yesFlag } from "../../src/cli/resources/common.js";
import { eventLabel, machineView } from "../../src/cli/resources/machine.js";
import {
  type Machine,
  MachineProvisioningEventType,
  MachineService,
} from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineReinstall installs another image on a machine; allocation, networks and IPs stay. */
export default class MachineReinstall extends MetalCommand<Machine> {
  static override summary =
    "Reinstall a machine with another image, keeping allocation and IPs (asks unless --yes).";
  static override args = { id: Args.string({ description: "Machine ID.", required: true }) };
  static override flags = {
    ...projectFlag,
    ...yesFlag,
    image: Flags.string({ summary: "Image ID or OS name, e.g. ubuntu-24.04.", required: true }),
    "filesystem-layout": Flags.string({
      summary: "Filesystem layout (default: the one matching size and image).",
    }),
    wait: Flags.boolean({ summary: "Print the provisioning events until the machine has phoned home." }),
  };

  async run(): Promise<Machine> {
    const { args, flags } = await this.parse(MachineReinstall);
    const project = projectOf(this.deps);
    await confirmDestructive(
      this.deps,
      `reinstall machine ${args.id} in project ${project} with ${flags.image} (its disks are wiped)`,
      flags.yes,
    );
    const client = this.deps.client(MachineService);
    const res = await client.reinstall({
      project,
      uuid: args.id,
      image: flags.image,
      filesystemLayout: flags["filesystem-layout"] ?? "",
    });
    this.note(`Reinstalling machine ${args.id} with ${res.machine?.allocation?.image ?? flags.image}.`);
    if (!flags.wait) return res.machine!;
    // The history closes the gap between the reinstall and the subscription; events older than the
    // reinstall (server time) belong to the previous install.
    const since = date(res.machine?.meta?.updatedAt)?.getTime() ?? 0;
    const abort = new AbortController();
    try {
      let installing = false;
      const stream = client.watch(
        { project, uuid: args.id, includeHistory: true },
        { signal: abort.signal, timeoutMs: 0 },
      );
      for await (const { event: e } of stream) {
        const time = date(e?.time);
        if (!e || !time || time.getTime() < since) continue;
        this.note(`${time.toISOString()}  ${eventLabel(e.event)}${e.message ? `  ${e.message}` : ""}`);
        if (e.event === MachineProvisioningEventType.INSTALLING) installing = true;
        if (installing && e.event === MachineProvisioningEventType.PHONED_HOME) break;
      }
    } finally {
      abort.abort();
    }
    return (await client.get({ project, uuid: args.id })).machine!;
  }

  protected override present(m: Machine): Printable<Machine> {
    return { view: machineView, items: [m], list: false };
  }
}
