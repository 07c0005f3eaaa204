import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpdateLabelsSchema, UpdateMetaSchema } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { SizeConstraintSchema, SizeConstraintType } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import {
  createPartition,
  deletePartition,
  getPartition,
  updatePartition,
} from "../../../src/server/catalog/partitions.js";
import { createSize, deleteSize, getSize, updateSize } from "../../../src/server/catalog/sizes.js";
import { DIALECTS, openTestStore, type TestStore } from "../network/stores.js";
import { expectCode } from "../tenancy/expect-code.js";
import { expectConcurrentUpdates } from "./concurrent-update.js";

const generation = (n: bigint) => create(UpdateMetaSchema, { generation: n });
const cores = (n: bigint) => create(SizeConstraintSchema, { type: SizeConstraintType.CORES, min: n, max: n });
const T0 = new Date("2025-01-01T00:00:00.000Z");
const T1 = new Date("2025-01-02T00:00:00.000Z");

describe.each(DIALECTS)("partitions and sizes (global catalog rows) on %s", (dialect, run) => {
  let store: TestStore;
  const db = () => store.db.kysely;

  // Referring rows go in as plain SQL: only their partition and size columns matter here.
  async function insertNetwork(id: string, partition: string) {
    await sql`insert into networks (id, project, partition, name, description, type, prefixes,
      destination_prefixes, vrf, nat, labels, generation, created_at, updated_at)
      values (${id}, '', ${partition}, ${id}, '', 1, '[]', '[]', 0, 0, '{}', 1, '', '')`.execute(db());
  }
  async function insertMachine(id: string, partition: string, size: string) {
    await sql`insert into machines (id, partition, size, rack, hardware, bmc_address, bmc_user,
      bmc_password, state, state_description, labels, last_event, event_seq, generation, created_at, updated_at)
      values (${id}, ${partition}, ${size}, 'r1', '{}', '', '', '', 0, '', '{}', 0, 0, 1, '', '')`.execute(
      db(),
    );
  }

  beforeAll(async () => {
    if (!run) return;
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.runIf(run)("creates a partition once and names a missing one", async () => {
    await createPartition(db(), { id: "p1", description: "one", labels: { a: "1", b: "2" } }, T0);
    await expectCode(
      createPartition(db(), { id: "p1", description: "again", labels: {} }),
      Code.AlreadyExists,
      /^partition "p1" already exists$/,
    );
    expect((await getPartition(db(), "p1")).description).toBe("one");
    await expectCode(getPartition(db(), "nope"), Code.NotFound, /^partition "nope" not found$/);
    await expectCode(
      updatePartition(db(), "nope", { description: "x" }),
      Code.NotFound,
      /^partition "nope" not found$/,
    );
    await expectCode(deletePartition(db(), "nope"), Code.NotFound, /^partition "nope" not found$/);
  });

  it.runIf(run)(
    "updates a partition's fields, labels and generation, and refuses stale generations",
    async () => {
      const updated = await updatePartition(
        db(),
        "p1",
        {
          updateMeta: generation(1n),
          description: "first",
          bootConfiguration: { imageUrl: "http://i", kernelUrl: "http://k", commandline: "console=ttyS0" },
          labels: create(UpdateLabelsSchema, { update: { c: "3" }, remove: ["a"] }),
        },
        T1,
      );
      expect(updated.description).toBe("first");
      expect(updated.bootConfiguration).toMatchObject({ imageUrl: "http://i", kernelUrl: "http://k" });
      expect(updated.meta?.generation).toBe(2n);
      expect(updated.meta?.labels).toEqual({ b: "2", c: "3" });
      expect(updated.meta?.createdAt?.seconds).toBe(BigInt(T0.getTime() / 1000));
      expect(updated.meta?.updatedAt?.seconds).toBe(BigInt(T1.getTime() / 1000));
      expect(await getPartition(db(), "p1")).toEqual(updated);

      // Unset fields stay; generation 0 skips the check.
      const kept = await updatePartition(db(), "p1", { updateMeta: generation(0n) });
      expect(kept.description).toBe("first");
      expect(kept.bootConfiguration?.commandline).toBe("console=ttyS0");
      expect(kept.meta?.labels).toEqual({ b: "2", c: "3" });
      expect(kept.meta?.generation).toBe(3n);

      await expectCode(
        updatePartition(db(), "p1", { updateMeta: generation(2n), description: "stale" }),
        Code.FailedPrecondition,
        /^partition "p1" was changed by someone else \(generation 3, you read 2\); read it again$/,
      );
      await expectCode(
        updatePartition(db(), "p1", {
          labels: create(UpdateLabelsSchema, { update: { "-bad": "x" }, remove: [] }),
        }),
        Code.InvalidArgument,
        /^labels\.update: key "-bad"/,
      );
      const after = await getPartition(db(), "p1");
      expect(after.description).toBe("first");
      expect(after.meta?.generation).toBe(3n);
    },
  );

  it.runIf(run)("refuses to delete a partition that networks or machines still use", async () => {
    await createPartition(db(), { id: "p2", description: "", labels: {} });
    await createSize(db(), { id: "s-p2", name: "", description: "", constraints: [cores(1n)], labels: {} });
    await insertNetwork("net-p2", "p2");
    await expectCode(
      deletePartition(db(), "p2"),
      Code.FailedPrecondition,
      /^partition "p2" still has networks \(e\.g\. "net-p2"\); delete them first$/,
    );
    await sql`delete from networks where id = 'net-p2'`.execute(db());
    await insertMachine("m-p2", "p2", "s-p2");
    await expectCode(
      deletePartition(db(), "p2"),
      Code.FailedPrecondition,
      /^partition "p2" still has machines; remove them first$/,
    );
    await sql`delete from machines where id = 'm-p2'`.execute(db());
    expect((await deletePartition(db(), "p2")).id).toBe("p2");
    await expectCode(getPartition(db(), "p2"), Code.NotFound);
  });

  it.runIf(run)("creates, updates and deletes sizes under the same rules", async () => {
    await createSize(
      db(),
      { id: "s1", name: "small", description: "", constraints: [cores(4n)], labels: {} },
      T0,
    );
    await expectCode(
      createSize(db(), { id: "s1", name: "", description: "", constraints: [cores(4n)], labels: {} }),
      Code.AlreadyExists,
      /^size "s1" already exists$/,
    );
    await expectCode(getSize(db(), "nope"), Code.NotFound, /^size "nope" not found$/);
    await expectCode(updateSize(db(), "nope", {}), Code.NotFound, /^size "nope" not found$/);

    const renamed = await updateSize(
      db(),
      "s1",
      { updateMeta: generation(1n), name: "tiny", constraints: [] },
      T1,
    );
    expect(renamed.name).toBe("tiny");
    expect(renamed.constraints.map((c) => c.min)).toEqual([4n]);
    expect(renamed.meta?.generation).toBe(2n);
    expect(renamed.meta?.updatedAt?.seconds).toBe(BigInt(T1.getTime() / 1000));
    const resized = await updateSize(db(), "s1", { constraints: [cores(8n)] });
    expect(resized.constraints.map((c) => c.min)).toEqual([8n]);
    expect(await getSize(db(), "s1")).toEqual(resized);
    await expectCode(
      updateSize(db(), "s1", { updateMeta: generation(1n), name: "stale" }),
      Code.FailedPrecondition,
      /^size "s1" was changed by someone else \(generation 3, you read 1\); read it again$/,
    );
    await expectCode(
      updateSize(db(), "s1", { constraints: [cores(2n), cores(2n)] }),
      Code.InvalidArgument,
      /^constraints\[1\]: the same type and identifier appear twice$/,
    );
    expect((await getSize(db(), "s1")).name).toBe("tiny");

    await insertMachine("m-s1", "p1", "s1");
    await expectCode(
      deleteSize(db(), "s1"),
      Code.FailedPrecondition,
      /^size "s1" is still used by machines; remove them first$/,
    );
    await sql`delete from machines where id = 'm-s1'`.execute(db());
    expect((await deleteSize(db(), "s1")).id).toBe("s1");
    await expectCode(deleteSize(db(), "s1"), Code.NotFound, /^size "s1" not found$/);
  });

  // Overlapping writers: without a generation the last one wins, with the generation both read the
  // second is refused. Only PostgreSQL runs writers concurrently.
  it.runIf(run && dialect === "postgres")(
    "lets concurrent updates win unless they name a generation that changed",
    async () => {
      await createPartition(db(), { id: "p-race", description: "", labels: {} });
      await createSize(db(), {
        id: "s-race",
        name: "",
        description: "",
        constraints: [cores(1n)],
        labels: {},
      });
      await expectConcurrentUpdates(
        db(),
        "partitions",
        'partition "p-race"',
        async () => (await getPartition(db(), "p-race")).meta?.generation,
        (trx, updateMeta) => updatePartition(trx, "p-race", { updateMeta, description: "x" }),
      );
      await expectConcurrentUpdates(
        db(),
        "sizes",
        'size "s-race"',
        async () => (await getSize(db(), "s-race")).meta?.generation,
        (trx, updateMeta) => updateSize(trx, "s-race", { updateMeta, name: "x" }),
      );
    },
  );
});
