import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/server/store/db.js";
import { KEEP_ROWS } from "../../../src/server/store/sqlite-statements.js";

interface Row {
  id: string;
  v: string;
}

describe("kept answers of SQLite reads", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-sqlite-statements-"));
  const db = openDatabase({ databaseUrl: "", dataDir });
  // Another connection to the same file, as another process (e.g. an operator's command) would open.
  let other: SQLite.Database;
  const read = async (id = "a", ex = db.kysely) =>
    (await ex.executeQuery<Row>(CompiledQuery.raw(`${KEEP_ROWS}select * from t where id = ?`, [id]))).rows;
  const write = (v: string) => sql`update t set v = ${v} where id = 'a'`.execute(db.kysely);

  beforeAll(async () => {
    await sql`create table t (id text primary key, v text not null)`.execute(db.kysely);
    await sql`insert into t (id, v) values ('a', '1'), ('b', 'x')`.execute(db.kysely);
    other = new SQLite(path.join(dataDir, "metal.db"));
  });
  afterAll(async () => {
    other.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers from memory while nothing is written, with rows no caller can change", async () => {
    const first = await read();
    expect(first).toEqual([{ id: "a", v: "1" }]);
    expect(await read()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first[0] as Row).v = "changed";
    }).toThrow(TypeError);
    expect((await read("b"))[0]?.v).toBe("x");
  });

  it("reads afresh once this connection wrote, also through a write that returns rows", async () => {
    await read();
    await write("2");
    expect((await read())[0]?.v).toBe("2");
    await sql`update t set v = '3' where id = 'a' returning *`.execute(db.kysely);
    expect((await read())[0]?.v).toBe("3");
    await sql`delete from t where id = 'b'`.execute(db.kysely);
    expect(await read("b")).toEqual([]);
  });

  it("reads afresh once another connection committed", async () => {
    await read();
    other.prepare("update t set v = 'from elsewhere' where id = 'a'").run();
    expect((await read())[0]?.v).toBe("from elsewhere");
    other.prepare("insert into t (id, v) values ('b', 'back')").run();
    expect((await read("b"))[0]?.v).toBe("back");
  });

  it("keeps nothing inside a transaction, so a rolled-back write is never seen", async () => {
    await write("before");
    await read();
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await sql`update t set v = 'rolled back' where id = 'a'`.execute(trx);
        const inside = await read("a", trx);
        expect(inside[0]?.v).toBe("rolled back");
        expect(Object.isFrozen(inside)).toBe(false);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await read())[0]?.v).toBe("before");
  });

  it("keeps a string and a number that print alike apart, and keeps nothing for other parameters", async () => {
    const type = async (p: unknown) =>
      (
        await db.kysely.executeQuery<{ t: string }>(
          CompiledQuery.raw(`${KEEP_ROWS}select typeof(?) as t`, [p]),
        )
      ).rows;
    expect((await type("1"))[0]?.t).toBe("text");
    expect((await type(1))[0]?.t).toBe("real");
    expect((await type(Buffer.from("1")))[0]?.t).toBe("blob");
    expect(Object.isFrozen(await type(Buffer.from("1")))).toBe(false);
  });

  it("answers reads without the mark from the database every time", async () => {
    const plain = () => db.kysely.executeQuery<Row>(CompiledQuery.raw("select * from t where id = ?", ["a"]));
    const rows = (await plain()).rows;
    expect(Object.isFrozen(rows)).toBe(false);
    expect((await plain()).rows).not.toBe(rows);
  });
});
