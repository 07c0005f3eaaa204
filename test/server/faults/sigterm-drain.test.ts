import fs from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runApiserver } from "../../helpers/cli.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { type OwnRedis, ownRedisAvailable, startOwnRedis } from "../../helpers/redis-server.js";
import { startServerProcess } from "../../helpers/server-process.js";

// The server runs from the build (`npm run build`, which `npm test` does first) as a real process that
// gets a real SIGTERM while 16 writers keep their keep-alive connections busy.
const WRITERS = 16;
const PUBLIC_URL = "http://metal.test";
const CREATE = "/metalstack.admin.v2.PartitionService/Create";

/** Outcome is what one write saw: an answer (HTTP status and Connect code) or a socket error code. */
type Outcome = { id: string; status: number; code?: string } | { id: string; error: string };

/** post sends one Connect JSON request over `agent` and reports what came back. */
function post(url: string, agent: http.Agent, token: string, id: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(`${url}${CREATE}`, {
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "x-request-id": id,
      },
    });
    req.once("response", (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.once("end", () => {
        const code = res.statusCode === 200 ? undefined : (JSON.parse(body) as { code?: string }).code;
        resolve({ id, status: res.statusCode ?? 0, code });
      });
      res.once("error", (err: NodeJS.ErrnoException) => resolve({ id, error: err.code ?? err.message }));
    });
    req.once("error", (err: NodeJS.ErrnoException) => resolve({ id, error: err.code ?? err.message }));
    req.end(JSON.stringify({ id, description: "written under load" }));
  });
}

/** Store reads back, after the server exited, which writes were committed and audited. */
interface Store {
  committed(): Promise<string[]>;
  audited(): Promise<Map<string, string>>;
}

interface Mode {
  /** Flags naming the store (and Redis) for `serve` and `token create`. */
  flags: string[];
  store: Store;
}

async function drainUnderLoad(mode: Mode) {
  const created = await runApiserver(
    [
      "token",
      "create",
      "--admin-role",
      "editor",
      "--expires",
      "1h",
      "--public-url",
      PUBLIC_URL,
      ...mode.flags,
    ],
    { PATH: process.env.PATH },
  );
  expect(created).toMatchObject({ code: 0 });
  const token = created.stdout.trim();
  const server = await startServerProcess([
    "--listen",
    "127.0.0.1:0",
    "--public-url",
    PUBLIC_URL,
    "--shutdown-grace",
    "20s",
    ...mode.flags,
  ]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS });
  const outcomes: Outcome[] = [];
  let ok = 0;
  let stopped = false;
  const writer = async (w: number) => {
    for (let n = 0; ; n++) {
      const outcome = await post(server.url, agent, token, `w${w}-${n}`);
      outcomes.push(outcome);
      if ("status" in outcome && outcome.status === 200) ok++;
      // A refused connection means the listener is gone: the request was never sent.
      if ("error" in outcome && (outcome.error === "ECONNREFUSED" || !stopped)) return;
    }
  };
  // HTTP/2 with prior knowledge, one session: its streams must finish or be refused, and it gets GOAWAY.
  const session = http2.connect(server.url);
  session.on("error", () => {});
  const goaway = new Promise<boolean>((resolve) => {
    session.once("goaway", () => resolve(true));
    session.once("close", () => resolve(false));
  });
  const h2Outcomes: { id: string; result: string }[] = [];
  const h2Writer = async () => {
    for (let n = 0; !session.closed && !session.destroyed; n++) {
      const id = `h2-${n}`;
      h2Outcomes.push({
        id,
        result: await new Promise<string>((resolve) => {
          let stream: http2.ClientHttp2Stream;
          try {
            stream = session.request({
              ":method": "POST",
              ":path": CREATE,
              "content-type": "application/json",
              authorization: `Bearer ${token}`,
              "x-request-id": id,
            });
          } catch (err) {
            resolve(`request: ${(err as NodeJS.ErrnoException).code}`);
            return;
          }
          stream.once("response", (headers) => resolve(`status ${headers[":status"]}`));
          // A reset stream reports its code: 7 (REFUSED_STREAM) says it never ran and may be retried.
          stream.once("error", () => resolve(`reset ${stream.rstCode}`));
          stream.once("close", () => resolve(`reset ${stream.rstCode}`));
          stream.resume();
          stream.end(JSON.stringify({ id, description: "over http/2" }));
        }),
      });
    }
  };
  const load = Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), h2Writer()]);
  while (ok < 200) await new Promise((r) => setTimeout(r, 10));
  stopped = true;
  const exitCode = await server.stop();
  await load;
  agent.destroy();
  session.destroy();

  expect(exitCode, server.output()).toBe(0);
  expect(await goaway).toBe(true);
  // Every write got an answer, or a clean refusal (503 unavailable), or was never sent (refused connection).
  const dirty = outcomes.filter((o) =>
    "error" in o
      ? o.error !== "ECONNREFUSED"
      : o.status !== 200 && !(o.status === 503 && o.code === "unavailable"),
  );
  expect(dirty).toEqual([]);
  const h2Dirty = h2Outcomes.filter(
    (o) =>
      !/^(status 200|status 503|reset 7|request: ERR_HTTP2_(GOAWAY_SESSION|INVALID_SESSION))$/.test(o.result),
  );
  expect(h2Dirty).toEqual([]);
  // Nothing committed without its answer, nothing answered without its commit and its audit row.
  const answered = [
    ...outcomes.filter((o) => "status" in o && o.status === 200).map((o) => o.id),
    ...h2Outcomes.filter((o) => o.result === "status 200").map((o) => o.id),
  ];
  expect((await mode.store.committed()).filter((id) => /^(w|h2-)/.test(id)).sort()).toEqual(
    [...answered].sort(),
  );
  const audited = await mode.store.audited();
  expect(answered.filter((id) => audited.get(id) !== "ok")).toEqual([]);
}

describe("SIGTERM under keep-alive load, embedded mode", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-drain-"));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("answers or cleanly refuses every request, loses no write and exits 0", async () => {
    const read = <T>(fn: (db: SQLite.Database) => T): T => {
      const db = new SQLite(path.join(dataDir, "metal.db"), { readonly: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    await drainUnderLoad({
      flags: ["--data-dir", dataDir],
      store: {
        committed: async () =>
          read((db) => (db.prepare("select id from partitions").all() as { id: string }[]).map((r) => r.id)),
        audited: async () =>
          read(
            (db) =>
              new Map(
                (
                  db.prepare("select request_id, code from audit_log where method = ?").all(CREATE) as {
                    request_id: string;
                    code: string;
                  }[]
                ).map((r) => [r.request_id, r.code]),
              ),
          ),
      },
    });
  });
});

const production = (await postgresAvailable()) && ownRedisAvailable();

describe.runIf(production)("SIGTERM under keep-alive load, PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let redis: OwnRedis;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    await redis?.close();
    await database?.drop();
  });

  it("answers or cleanly refuses every request, loses no write and exits 0", async () => {
    const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return (await client.query<R>(text, values)).rows;
      } finally {
        await client.end();
      }
    };
    await drainUnderLoad({
      flags: ["--database-url", database.url, "--redis-url", redis.url],
      store: {
        committed: async () => (await query<{ id: string }>("select id from partitions")).map((r) => r.id),
        audited: async () =>
          new Map(
            (
              await query<{ request_id: string; code: string }>(
                "select request_id, code from audit_log where method = $1",
                [CREATE],
              )
            ).map((r) => [r.request_id, r.code]),
          ),
      },
    });
  });
});
