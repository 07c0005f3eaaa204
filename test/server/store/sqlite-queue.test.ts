import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/server/store/db.js";

describe("the SQLite connection queue", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-sqlite-queue-"));
  const db = openDatabase({ databaseUrl: "", dataDir });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves queries in the order they asked, and none inside another's open transaction", async () => {
    await sql`create table q (n integer not null)`.execute(db.kysely);
    const count = async () =>
      Number((await sql<{ c: number }>`select count(*) as c from q`.execute(db.kysely)).rows[0]?.c);
    const done: number[] = [];
    const before = Array.from({ length: 20 }, (_, i) => count().then((c) => done.push(i) && c));
    const trx = db.kysely.transaction().execute(async (t) => {
      await sql`insert into q (n) values (1)`.execute(t);
      // The transaction keeps the connection across this wait; queries asked meanwhile queue behind it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sql`insert into q (n) values (2)`.execute(t);
    });
    const after = Array.from({ length: 20 }, (_, i) => count().then((c) => done.push(20 + i) && c));
    await trx;
    expect(await Promise.all(before)).toEqual(Array(20).fill(0));
    expect(await Promise.all(after)).toEqual(Array(20).fill(2));
    expect(done).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it("gives the connection back when a query or a transaction fails", async () => {
    await expect(sql`select * from missing_table`.execute(db.kysely)).rejects.toThrow();
    await expect(
      db.kysely.transaction().execute(async (t) => {
        await sql`insert into q (n) values (3)`.execute(t);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const rows = await sql<{ n: number }>`select n from q order by n`.execute(db.kysely);
    expect(rows.rows.map((r) => r.n)).toEqual([1, 2]);
  });
});
