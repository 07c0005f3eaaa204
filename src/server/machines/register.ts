import { Code, ConnectError } from "@connectrpc/connect";
import { MachineState } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { AgentServiceRegisterRequest } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import { storedBmcPassword } from "./bmc-passwords.js";
import { requirePartitionAndSize } from "./catalog-refs.js";
import { hardwareToJson } from "./machine-view.js";
import { requireHardwareFitsSize } from "./size-fit.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * registerMachine adds a machine reported by an agent, or updates size, rack, hardware and BMC of a
 * known one. An allocated machine cannot move to another partition or size under its project.
 */
export async function registerMachine(
  ctx: AppContext,
  req: AgentServiceRegisterRequest,
): Promise<{ id: string; created: boolean }> {
  const id = req.uuid.toLowerCase();
  if (!UUID.test(id)) {
    throw new ConnectError("uuid: must be the machine's hardware UUID, e.g. 8f1c…-…", Code.InvalidArgument);
  }
  if (!req.rack.trim())
    throw new ConnectError("rack: must name the rack the machine is in", Code.InvalidArgument);
  if (!req.hardware || req.hardware.cpuCores === 0 || req.hardware.memory === 0n) {
    throw new ConnectError("hardware: must report cpu_cores and memory", Code.InvalidArgument);
  }
  requireHardwareFitsSize(req.hardware, await requirePartitionAndSize(ctx, req.partition, req.size));
  const now = ctx.now().toISOString();
  const bmc = {
    address: req.bmc?.address ?? "",
    user: req.bmc?.user ?? "",
    password: req.bmc?.password ?? "",
  };
  const created = await ctx.db.kysely.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("machines")
      .select(["project", "partition", "size"])
      .where("id", "=", id)
      .$if(ctx.db.dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    const fields = {
      partition: req.partition,
      size: req.size,
      rack: req.rack,
      hardware: hardwareToJson(req.hardware),
      bmc_address: bmc.address,
      bmc_user: bmc.user,
      bmc_password: storedBmcPassword(ctx, id, bmc.password),
      updated_at: now,
    };
    if (!existing) {
      await trx
        .insertInto("machines")
        .values({
          id,
          ...fields,
          state: MachineState.AVAILABLE,
          state_description: "",
          project: null,
          allocation_id: null,
          name: null,
          hostname: null,
          image: null,
          allocation: null,
          labels: "{}",
          last_event: 0,
          last_event_time: null,
          event_seq: 0,
          crash_streak: 0,
          power_state: 0,
          next_boot: 0,
          led_state: 0,
          management_updated_at: null,
          generation: 1,
          created_at: now,
        })
        .execute();
      return true;
    }
    if (existing.project && (existing.partition !== req.partition || existing.size !== req.size)) {
      throw new ConnectError(
        `machine ${id} is allocated; it cannot change partition or size until it is deleted`,
        Code.FailedPrecondition,
      );
    }
    await trx.updateTable("machines").set(fields).where("id", "=", id).execute();
    return false;
  });
  ctx.log.info("machine registered", { machine: id, partition: req.partition, size: req.size, created });
  ctx.machineEvents.notify(id);
  return { id, created };
}
