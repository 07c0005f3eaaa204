import { Code, ConnectError } from "@connectrpc/connect";
import type { MachineServiceUpdateRequest } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import { mergeLabels } from "../labels.js";
import type { MachineRow } from "../store/machine-schema.js";
import { checkGeneration, lockForUpdate } from "../store/versioned-rows.js";
import { getProjectMachine } from "./machine-queries.js";
import { parseAllocation } from "./machine-view.js";
import { validateDescription, validateName, validateSshPublicKeys } from "./validate.js";

/**
 * updateMachine changes name, description, labels and SSH keys of a project's machine. A non-zero
 * update_meta.generation must equal the stored one (optimistic locking); 0 lets the last writer win.
 */
export async function updateMachine(ctx: AppContext, req: MachineServiceUpdateRequest): Promise<MachineRow> {
  if (req.name !== undefined) validateName(req.name);
  if (req.description !== undefined) validateDescription(req.description);
  const keys = req.sshPublicKeys
    ? validateSshPublicKeys("ssh_public_keys.keys", req.sshPublicKeys.keys)
    : undefined;
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockForUpdate(trx, "machines", { column: "id", value: req.uuid.toLowerCase() });
    const current = await getProjectMachine(trx, req.project, req.uuid);
    checkGeneration(`machine ${current.id}`, current.generation, req.updateMeta?.generation);
    const alloc = parseAllocation(current);
    if (!alloc)
      throw new ConnectError(`machine ${req.uuid} not found in project ${req.project}`, Code.NotFound);
    if (req.description !== undefined) alloc.description = req.description;
    if (keys) alloc.sshPublicKeys = keys;
    const labels = mergeLabels(JSON.parse(current.labels) as Record<string, string>, req.labels);
    return trx
      .updateTable("machines")
      .set({
        name: req.name ?? current.name,
        allocation: JSON.stringify(alloc),
        labels: JSON.stringify(labels),
        generation: current.generation + 1,
        updated_at: ctx.now().toISOString(),
      })
      .where("id", "=", current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  ctx.machineEvents.notify(row.id);
  return row;
}
