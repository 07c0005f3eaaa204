import type { Command, Interfaces } from "@oclif/core";
import { MetalCommand } from "../base-command.js";
import { completionsOf } from "../completion/source.js";
import { refArg } from "../flags.js";
import { partition } from "../resources/partition.js";
import { type CapacityRow, capacity, capacityView } from "../resources/partition-capacity.js";
import type { Help } from "./resource-command.js";

/**
 * capacityCommand makes `partition capacity [PARTITION]` (users: total, free, allocated) or, with
 * `admin`, `admin partition capacity` (also reserved, locked and faulty, -o wide names the machines).
 */
export function capacityCommand(admin: boolean, help: Help) {
  return class extends MetalCommand<typeof Command> {
    static override summary = help.summary;
    static override description = help.description;
    static override examples = help.examples ?? [];
    static override args: Interfaces.ArgInput = {
      id: refArg(partition, { optional: true, description: "Partition ID (default: every partition)." }),
    };
    static override completion = completionsOf(this);

    async run(): Promise<CapacityRow[]> {
      const id = (this.args as { id?: string }).id ?? "";
      const rows = await capacity(this.deps, id, admin);
      this.printList(capacityView(admin), rows);
      return rows;
    }
  };
}
