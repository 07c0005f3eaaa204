import { Args } from "@oclif/core";
import {
  MachineBootDevice,
  MachinePowerAction,
  MachineService,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { MetalCommand } from "../base-command.js";
import { projectFlag } from "../flags.js";
import { confirmDestructive, projectOf, yesFlag } from "./common.js";

const idArg = { id: Args.string({ description: "Machine ID.", required: true }) };

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
  return class MachinePower extends MetalCommand<void> {
    static override summary = summary;
    static override args = idArg;
    static override flags = destructive ? { ...projectFlag, ...yesFlag } : { ...projectFlag };

    async run(): Promise<void> {
      const { args, flags } = await this.parse(MachinePower);
      const project = projectOf(this.deps);
      if (destructive) {
        const yes = (flags as { yes?: boolean }).yes;
        await confirmDestructive(this.deps, `power ${name} machine ${args.id} in project ${project}`, yes);
      }
      await this.deps.client(MachineService).power({ project, uuid: args.id, action });
      this.note(
        `Queued power ${name} for machine ${args.id}; follow it with \`metalctl machine events ${args.id}\`.`,
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
  return class MachineBoot extends MetalCommand<void> {
    static override summary = `Boot a machine from ${name} next.`;
    static override args = idArg;
    static override flags = { ...projectFlag };

    async run(): Promise<void> {
      const { args } = await this.parse(MachineBoot);
      await this.deps
        .client(MachineService)
        .boot({ project: projectOf(this.deps), uuid: args.id, device: BOOT[name] });
      this.note(`Machine ${args.id} boots from ${name} next.`);
    }
  };
}

/** identifyCommand builds `machine identify on|off ID`, which switches the chassis identification LED. */
export function identifyCommand(name: "on" | "off") {
  return class MachineIdentify extends MetalCommand<void> {
    static override summary = `Switch a machine's identification LED ${name}.`;
    static override args = idArg;
    static override flags = { ...projectFlag };

    async run(): Promise<void> {
      const { args } = await this.parse(MachineIdentify);
      await this.deps
        .client(MachineService)
        .identify({ project: projectOf(this.deps), uuid: args.id, on: name === "on" });
      this.note(`Identification LED of machine ${args.id} switched ${name}.`);
    }
  };
}
