import type { Command } from "@oclif/core";
import {
  type Machine,
  MachineBootDevice,
  MachinePowerAction,
  MachineService,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { completionsOf } from "../completion/source.js";
import type { Deps } from "../deps.js";
import { projectFlag, quietFlags, refArg, yesFlag } from "../flags.js";
import { confirmDestructive } from "../resources/common.js";
import { machine, machineLabel } from "../resources/machine.js";
import { referencedNames, withName } from "../resources/referenced-names.js";
import { ResourceCommand } from "./resource-command.js";

/**
 * askedNames are how a confirmation names the machine and its project, `3ae6… (web-1)` and
 * `6102… (demo)`, so a person sees what they are about to change; without a question to ask
 * (--yes, or no terminal) the IDs, and no lookups.
 */
export async function askedNames(
  deps: Deps,
  project: string,
  uuid: string,
  yes: boolean | undefined,
): Promise<{ machine: string; project: string }> {
  if (yes || !deps.io.canPrompt) return { machine: uuid, project };
  const [m, names] = await Promise.all([
    machine.get(deps, project, uuid),
    referencedNames(deps, [{ source: { kind: "project", scope: "server" }, id: project }], project),
  ]);
  return { machine: machineLabel(m), project: withName(project, names) };
}

/**
 * MachineOperation is a command that asks the machine's management controller for one thing
 * (power, boot device, identification LED) and notes that it was queued; it prints nothing on stdout.
 */
abstract class MachineOperation extends ResourceCommand<typeof Command, Machine> {
  static override baseFlags = quietFlags;
  protected override readonly resource = machine;

  async run(): Promise<void> {
    const project = await this.scopeProject();
    const uuid = await this.itemId();
    const yes = (this.flags as { yes?: boolean }).yes;
    if (this.question(uuid, project)) {
      const asked = await askedNames(this.deps, project, uuid, yes);
      await confirmDestructive(this.deps, this.question(asked.machine, asked.project)!, yes);
    }
    await this.operate(project, uuid);
  }

  /** question is what a destructive operation asks before it runs; undefined for harmless ones. */
  protected question(_uuid: string, _project: string): string | undefined {
    return undefined;
  }

  /** operate sends the request and notes what happens next. */
  protected abstract operate(project: string, uuid: string): Promise<void>;
}

const POWER = {
  on: { action: MachinePowerAction.ON, summary: "Power a machine on." },
  off: { action: MachinePowerAction.OFF, summary: "Power a machine off (asks unless --yes)." },
  reset: { action: MachinePowerAction.RESET, summary: "Hard-reset a machine (asks unless --yes)." },
  cycle: { action: MachinePowerAction.CYCLE, summary: "Power-cycle a machine (asks unless --yes)." },
} as const;

/** powerCommand builds `machine power <action> ID`; every action but `on` confirms on a terminal. */
export function powerCommand(name: keyof typeof POWER) {
  const { action, summary } = POWER[name];
  const destructive = name !== "on";
  return class MachinePower extends MachineOperation {
    static override summary = summary;
    static override args = { id: refArg(machine) };
    static override flags = destructive ? { ...projectFlag, ...yesFlag } : { ...projectFlag };
    static override completion = completionsOf(this);

    protected override question(uuid: string, project: string): string | undefined {
      return destructive ? `power ${name} machine ${uuid} in project ${project}` : undefined;
    }

    protected override async operate(project: string, uuid: string): Promise<void> {
      await this.deps.client(MachineService).power({ project, uuid, action });
      this.note(
        `Queued power ${name} for machine ${uuid}; follow it with \`metalctl machine events ${uuid}\`.`,
      );
    }
  };
}

const BOOT = {
  pxe: MachineBootDevice.PXE,
  disk: MachineBootDevice.DISK,
  bios: MachineBootDevice.BIOS,
} as const;

/** bootCommand builds `machine boot <device> ID`, which sets the device the machine boots from next. */
export function bootCommand(name: keyof typeof BOOT) {
  return class MachineBoot extends MachineOperation {
    static override summary = `Boot a machine from ${name} next.`;
    static override args = { id: refArg(machine) };
    static override flags = { ...projectFlag };
    static override completion = completionsOf(this);

    protected override async operate(project: string, uuid: string): Promise<void> {
      await this.deps.client(MachineService).boot({ project, uuid, device: BOOT[name] });
      this.note(`Machine ${uuid} boots from ${name} next.`);
    }
  };
}

/** identifyCommand builds `machine identify on|off ID`, which switches the chassis identification LED. */
export function identifyCommand(name: "on" | "off") {
  return class MachineIdentify extends MachineOperation {
    static override summary = `Switch a machine's identification LED ${name}.`;
    static override args = { id: refArg(machine) };
    static override flags = { ...projectFlag };
    static override completion = completionsOf(this);

    protected override async operate(project: string, uuid: string): Promise<void> {
      await this.deps.client(MachineService).identify({ project, uuid, on: name === "on" });
      this.note(`Identification LED of machine ${uuid} switched ${name}.`);
    }
  };
}
