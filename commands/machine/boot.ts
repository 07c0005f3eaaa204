import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import { projectOf } from "../../src/cli/resources/common.js";
import { MachineBootDevice, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

const DEVICES = {
  pxe: MachineBootDevice.PXE,
  disk: MachineBootDevice.DISK,
  bios: MachineBootDevice.BIOS,
} as const;

/** MachineBoot sets the device a machine boots from next. */
export default class MachineBoot extends MetalCommand<void> {
  static override summary = "Set the device a machine boots from next (pxe, disk or bios).";
  static override args = {
    device: Args.string({ description: "Boot device.", options: Object.keys(DEVICES), required: true }),
    id: Args.string({ description: "Machine ID.", required: true }),
  };
  static override flags = { ...projectFlag };

  async run(): Promise<void> {
    const { args } = await this.parse(MachineBoot);
    const device = args.device as keyof typeof DEVICES;
    await this.deps
      .client(MachineService)
      .boot({ project: projectOf(this.deps), uuid: args.id, device: DEVICES[device] });
    this.note(`Machine ${args.id} boots from ${device} next.`);
  }
}
