import { Args } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { projectFlag } from "../../src/cli/flags.js";
import { confirmDestructive, projectOf, yesFlag } from "../../src/cli/resources/common.js";
import { MachinePowerAction, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

const ACTIONS = {
  on: MachinePowerAction.ON,
  off: MachinePowerAction.OFF,
  reset: MachinePowerAction.RESET,
  cycle: MachinePowerAction.CYCLE,
} as const;

/** MachinePower switches a machine on or off, resets or power-cycles it (off, reset and cycle ask first). */
export default class MachinePower extends MetalCommand<void> {
  static override summary =
    "Power a machine on or off, reset or power-cycle it (off/reset/cycle ask unless --yes).";
  static override args = {
    action: Args.string({ description: "What to do.", options: Object.keys(ACTIONS), required: true }),
    id: Args.string({ description: "Machine ID.", required: true }),
  };
  static override flags = { ...projectFlag, ...yesFlag };
  static override examples = [
    "<%= config.bin %> machine power cycle 00000000-0000-0000-0000-000000000001 --yes",
  ];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MachinePower);
    const action = args.action as keyof typeof ACTIONS;
    const project = projectOf(this.deps);
    if (action !== "on") {
      await confirmDestructive(
        this.deps,
        `power ${action} machine ${args.id} in project ${project}`,
        flags.yes,
      );
    }
    await this.deps.client(MachineService).power({ project, uuid: args.id, action: ACTIONS[action] });
    this.note(
      `Queued power ${action} for machine ${args.id}; follow it with \`metalctl machine events ${args.id}\`.`,
    );
  }
}
