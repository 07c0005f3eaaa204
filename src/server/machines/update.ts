import { Code, ConnectError } from "@connectrpc/connect";
import type { MachineServiceUpdateRequest } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AppContext } from "../context.js";
import { mergeLabels } from "../labels.js";
import type { MachineRow } from "../store/machine-schema.js";
import { getProjectMachine } from "./machine-queries.js";
import { parseAllocation } from "./machine-view.js";
import { validateDescription, validateName, validateSshPublicKeys } from "./validate.js";

/**
 * updateMachine changes name, description, labels and SSH keys of a project's machine. A non-zero
 * update_meta.generation must equal the stored one (optimistic locking).
 */
export async function updateMachine(ctx: AppContext, req: MachineServiceUpdateRequest): Promise<MachineRow> {
  if (req.name !== undefined) validateName(req.name);
  if (req.description !== undefined) validateDescription(req.description);
  const keys = req.sshPublicKeys
    ? validateSshPublicKeys("ssh_public_keys.keys", req.sshPublicKeys.keys)
    : undefined;
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const current = await getProjectMachine(trx, req.project, req.uuid);
    const expected = Number(req.updateMeta?.generation ?? 0n);
    if (expected !== 0 && expected !== current.generation) {
      throw new ConnectError(
        `machine ${current.id} (generation ${current.generation}, you read ${expected}) was changed by someone else; read it again`,
        Code.FailedPrecondition,
      );
    }
    const alloc = parseAllocation(current);
    if (!alloc)
      throw new ConnectError(`machine ${req.uuid} not found in project ${req.project}`, Code.NotFound);
    if (req.description !== undefined) alloc.description = req.description;
    if (keys) alloc.sshPublicKeys = keys;
    const labels = mergeLabels(JSON.parse(current.labels) as Record<string, string>, req.labels);
    const result = await trx
      .updateTable("machines")
      .set({
        name: req.name ?? current.name,
        allocation: JSON.stringify(alloc),
        labels: JSON.stringify(labels),
        generation: current.generation + 1,
        updated_at: ctx.now().toISOString(),
      })
      .where("id", "=", current.id)
      .where("project", "=", req.project)
      .where("generation", "=", current.generation)
      .returningAll()
      .executeTakeFirst();
    if (!result) {
      throw new ConnectError(
        `machine ${current.id} was changed by someone else; read it again`,
        Code.FailedPrecondition,
      );
    }
    return result;
  });
  ctx.machineEvents.notify(row.id);
  return row;
}
