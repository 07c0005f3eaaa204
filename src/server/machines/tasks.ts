import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { sql } from "kysely";
import type { AppContext } from "../context.js";
import type { MachineTaskRow } from "../store/machine-schema.js";
import type { Executor } from "../tenancy/trx.js";

/** TASK_LEASE_MS is how long a fetched task stays with its agent before it is handed out again. */
export const TASK_LEASE_MS = 60_000;

/** TaskPayload is what the agent needs for a task, e.g. image and hostname for an install. */
export interface TaskPayload {
  image?: string;
  hostname?: string;
  filesystemLayout?: string;
}

/**
 * enqueueTask queues work for the agent of the machine's partition, inside the caller's transaction.
 * A machine's tasks get strictly increasing creation times, which is the order they are handed out in.
 */
export async function enqueueTask(
  db: Executor,
  task: { machineId: string; partition: string; kind: number; payload: TaskPayload },
  now: Date,
): Promise<void> {
  const { latest } = await db
    .selectFrom("machine_tasks")
    .select((eb) => eb.fn.max("created_at").as("latest"))
    .where("machine_id", "=", task.machineId)
    .executeTakeFirstOrThrow();
  const createdAt =
    latest && latest >= now.toISOString()
      ? new Date(Date.parse(latest) + 1).toISOString()
      : now.toISOString();
  await db
    .insertInto("machine_tasks")
    .values({
      id: randomUUID(),
      machine_id: task.machineId,
      partition: task.partition,
      kind: task.kind,
      payload: JSON.stringify(task.payload),
      created_at: createdAt,
      claimed_at: null,
    })
    .execute();
}

/**
 * fetchTasks claims up to `limit` open tasks of a partition. Tasks of one machine run one at a time
 * in order: only a machine's oldest task is handed out, and again only when its lease ran out.
 */
export async function fetchTasks(
  ctx: AppContext,
  partition: string,
  limit: number,
): Promise<MachineTaskRow[]> {
  const now = ctx.now();
  const leaseEnd = new Date(now.getTime() - TASK_LEASE_MS).toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const tasks = await trx
      .selectFrom("machine_tasks as t")
      .selectAll("t")
      .where("t.partition", "=", partition)
      .where((eb) => eb.or([eb("t.claimed_at", "is", null), eb("t.claimed_at", "<", leaseEnd)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("machine_tasks as o")
              .select(sql<number>`1`.as("one"))
              .whereRef("o.machine_id", "=", "t.machine_id")
              .where((eb) =>
                eb.or([
                  eb("o.created_at", "<", eb.ref("t.created_at")),
                  eb.and([eb("o.created_at", "=", eb.ref("t.created_at")), eb("o.id", "<", eb.ref("t.id"))]),
                ]),
              ),
          ),
        ),
      )
      .orderBy("t.created_at")
      .orderBy("t.id")
      .limit(limit)
      .$if(ctx.db.dialect === "postgres", (q) => q.forUpdate().skipLocked())
      .execute();
    if (tasks.length === 0) return [];
    const claimedAt = now.toISOString();
    await trx
      .updateTable("machine_tasks")
      .set({ claimed_at: claimedAt })
      .where(
        "id",
        "in",
        tasks.map((t) => t.id),
      )
      .execute();
    return tasks.map((t) => ({ ...t, claimed_at: claimedAt }));
  });
}

/** completeTask removes a fetched task; unknown or never fetched tasks give NotFound / FailedPrecondition. */
export async function completeTask(ctx: AppContext, id: string): Promise<MachineTaskRow> {
  const task = await ctx.db.kysely
    .selectFrom("machine_tasks")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!task) throw new ConnectError(`task ${id} does not exist (completed already?)`, Code.NotFound);
  if (!task.claimed_at) {
    throw new ConnectError(
      `task ${id} was never fetched; fetch it with FetchTasks first`,
      Code.FailedPrecondition,
    );
  }
  await ctx.db.kysely.deleteFrom("machine_tasks").where("id", "=", id).execute();
  return task;
}

/** dropOpenTasks removes the not-yet-fetched tasks of a machine of the given kinds (e.g. an install after delete). */
export async function dropOpenTasks(db: Executor, machineId: string, kinds: number[]): Promise<void> {
  await db
    .deleteFrom("machine_tasks")
    .where("machine_id", "=", machineId)
    .where("kind", "in", kinds)
    .where("claimed_at", "is", null)
    .execute();
}
