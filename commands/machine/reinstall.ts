import { Flags } from "@oclif/core";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { projectFlag, refArg, yesFlag } from "../../src/cli/flags.js";
import { confirmDestructive, date } from "../../src/cli/resources/common.js";
import { filesystem } from "../../src/cli/resources/filesystem.js";
import { image } from "../../src/cli/resources/image.js";
import { eventLabel, machine, machineLabel } from "../../src/cli/resources/machine.js";
import { lookupId } from "../../src/cli/resources/resource.js";
import { askedNames } from "../../src/cli/verbs/machine-operation.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import {
  type Machine,
  MachineProvisioningEventType,
  MachineService,
} from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineReinstall installs another image on a machine; allocation, networks and IPs stay. */
export default class MachineReinstall extends ResourceCommand<typeof MachineReinstall, Machine> {
  static override summary =
    "Reinstall a machine with another image, keeping allocation and IPs (asks unless --yes).";
  static override args = { id: refArg(machine) };
  static override flags = {
    ...projectFlag,
    ...yesFlag,
    image: Flags.string({
      summary: "Image ID or OS name, e.g. ubuntu-24.04.",
      required: true,
      ...completeFrom(image.ref),
    }),
    "filesystem-layout": Flags.string({
      summary: "Filesystem layout (default: the one matching size and image).",
      ...completeFrom(filesystem.ref),
    }),
    wait: Flags.boolean({ summary: "Print the provisioning events until the machine has phoned home." }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = machine;

  async run(): Promise<Machine> {
    const { flags } = this;
    const project = await this.scopeProject();
    const uuid = await this.itemId();
    const [imageId, layoutId] = await Promise.all([
      lookupId(this.deps, image, project, flags.image),
      flags["filesystem-layout"] ? lookupId(this.deps, filesystem, project, flags["filesystem-layout"]) : "",
    ]);
    const asked = await askedNames(this.deps, project, uuid, flags.yes);
    await confirmDestructive(
      this.deps,
      `reinstall machine ${asked.machine} in project ${asked.project} with ${flags.image} (its disks are wiped)`,
      flags.yes,
    );
    const client = this.deps.client(MachineService);
    const res = await client.reinstall({
      project,
      uuid,
      image: imageId,
      filesystemLayout: layoutId,
    });
    const label = machineLabel(res.machine!);
    this.note(`Reinstalling machine ${label} with ${res.machine?.allocation?.image ?? flags.image}.`);
    const result = flags.wait ? await this.follow(label, res.machine!) : res.machine!;
    this.printItem(machine.view, result);
    return result;
  }

  /** follow prints the new install's events, each naming the machine (`label`), until it phoned home and returns it then. */
  private async follow(label: string, reinstalled: Machine): Promise<Machine> {
    const { uuid } = reinstalled;
    const project = await this.scopeProject();
    const client = this.deps.client(MachineService);
    // The history closes the gap between the reinstall and the subscription; events older than the
    // reinstall (server time) belong to the previous install.
    const since = date(reinstalled.meta?.updatedAt)?.getTime() ?? 0;
    const abort = new AbortController();
    try {
      let installing = false;
      const stream = client.watch(
        { project, uuid, includeHistory: true },
        { signal: abort.signal, timeoutMs: 0 },
      );
      for await (const { event: e } of stream) {
        const time = date(e?.time);
        if (!e || !time || time.getTime() < since) continue;
        this.note(
          `${label}: ${time.toISOString()}  ${eventLabel(e.event)}${e.message ? `  ${e.message}` : ""}`,
        );
        if (e.event === MachineProvisioningEventType.INSTALLING) installing = true;
        if (installing && e.event === MachineProvisioningEventType.PHONED_HOME) break;
      }
    } finally {
      abort.abort();
    }
    return machine.get(this.deps, project, uuid);
  }
}
