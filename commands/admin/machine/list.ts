import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { machineView } from "../../../src/cli/resources/machine.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import type { Machine } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** AdminMachineList lists every machine of all projects and tenants (operators). */
export default class AdminMachineList extends MetalCommand<Machine[]> {
  static override summary = "List all machines (operators).";
  static override aliases = ["admin machine ls"];
  static override flags = {
    project: Flags.string({ summary: "Only machines of this project." }),
  };

  async run(): Promise<Machine[]> {
    const { flags } = await this.parse(AdminMachineList);
    const client = this.deps.client(MachineService);
    const items: Machine[] = [];
    let pageToken = "";
    do {
      const res = await client.list({
        ...{ ...(flags.project ? { project: flags.project } : {}) },
        paging: { pageToken },
      });
      items.push(...res.machines);
      pageToken = res.nextPageToken;
    } while (pageToken);
    return items;
  }

  protected override present(items: Machine[]): Printable<Machine> {
    return { view: machineView, items, list: true };
  }
}
