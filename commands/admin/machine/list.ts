import { Flags } from "@oclif/core";
import { MetalCommand } from "../../../src/cli/base-command.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import {
  type AdminMachineRow,
  adminMachineRows,
  adminMachineView,
} from "../../../src/cli/resources/admin-machine.js";
import { MachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";

/** AdminMachineList lists every machine of all projects and tenants, free ones too (operators). */
export default class AdminMachineList extends MetalCommand<AdminMachineRow[]> {
  static override summary = "List all machines (operators); -o wide adds rack and BMC address.";
  static override aliases = ["admin machine ls"];
  static override flags = {
    project: Flags.string({ summary: "Only machines of this project." }),
  };

  async run(): Promise<AdminMachineRow[]> {
    const { flags } = await this.parse(AdminMachineList);
    const client = this.deps.client(MachineService);
    const items: AdminMachineRow[] = [];
    let pageToken = "";
    do {
      const res = await client.list({
        ...(flags.project ? { project: flags.project } : {}),
        paging: { pageToken },
      });
      items.push(...adminMachineRows(res));
      pageToken = res.nextPageToken;
    } while (pageToken);
    return items;
  }

  protected override present(items: AdminMachineRow[]): Printable<AdminMachineRow> {
    return { view: adminMachineView, items, list: true };
  }
}
