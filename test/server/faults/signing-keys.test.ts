import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantService as AdminTenantService } from "../../../src/gen/metalstack/admin/v2/tenant_pb.js";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { type Db, openDatabase } from "../../../src/server/store/db.js";
import { migrateToLatest } from "../../../src/server/store/migrate.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { type ActiveKey, createSigningKeys, JWT_ALG } from "../../../src/server/token/signing-keys.js";
import { outcome } from "../../helpers/call-outcome.js";
import { runApiserver } from "../../helpers/cli.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

const withPostgres = await postgresAvailable();

function transport(server: TestServer, token: string) {
  return createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: [
      (next) => (req) => {
        req.header.set("authorization", `Bearer ${token}`);
        return next(req);
      },
    ],
  });
}

/** whoami calls UserService/Get with a user token. */
const whoami = (server: TestServer, token: string) =>
  outcome(createClient(UserService, transport(server, token)).get({}));

/** listTenants calls an operator method with an admin API token. */
const listTenants = (server: TestServer, token: string) =>
  outcome(createClient(AdminTenantService, transport(server, token)).list({}));

/** issueWith signs a new session token of user "boot" with `key`, as the process holding that key would. */
async function issueWith(server: TestServer, key: ActiveKey): Promise<string> {
  const { accessToken } = await server.ctx.tokens.issueUserSession("boot");
  return new SignJWT(decodeJwt(accessToken))
    .setProtectedHeader({ alg: JWT_ALG, kid: key.kid, typ: "JWT" })
    .sign(key.privateKey);
}

/** tokenNaming builds a JWT (with a bogus signature) whose header names `kid`. */
const tokenNaming = (kid: string) =>
  `${Buffer.from(JSON.stringify({ alg: "ES256", kid, typ: "JWT" })).toString("base64url")}.e30.c2ln`;

/** A JWT naming a kid nobody issued: answering it makes the server load (and cache) its keys. */
const unknownKidToken = tokenNaming("0b9e6a4e-1c1a-4b7a-9a55-8f0e54cba1d3");

const UNKNOWN_KEY =
  "Unauthenticated: token is signed by an unknown key; log in again (metalctl login) or use a valid API token";

// `token create` runs from the build (`npm run build`, which `npm test` does first), as an operator runs it.
describe.each([
  ["sqlite", true],
  ["postgres", withPostgres],
] as const)("signing keys shared by several processes on %s", (dialect, run) => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let server: TestServer;
  let other: Db;

  beforeAll(async () => {
    if (!run) return;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-keys-"));
    database = dialect === "postgres" ? await createPostgresDatabase() : undefined;
    server = await startTestServer({ dataDir, databaseUrl: database?.url ?? "", redisUrl: "" });
    await ensureUser(server.ctx, { id: "boot", name: "Boot", email: "" });
    // Another process on the same store: its own connection, its own key cache.
    other = openDatabase({ dataDir, databaseUrl: database?.url ?? "" });
    await migrateToLatest(other);
  });
  afterAll(async () => {
    await other?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.runIf(run)(
    "creates one first key when several `token create` run at once, and accepts their tokens at once",
    async () => {
      expect(await listTenants(server, unknownKidToken)).toBe(
        "Unauthenticated: token is signed by an unknown key; log in again (metalctl login) or use a valid API token",
      );
      // The README's bootstrap path, three times at once beside the running server, as real processes.
      const store = database ? ["--database-url", database.url] : ["--data-dir", dataDir];
      const runs = await Promise.all(
        Array.from({ length: 3 }, () =>
          runApiserver(
            [
              "token",
              "create",
              "--admin-role",
              "viewer",
              "--expires",
              "1h",
              "--public-url",
              server.ctx.config.publicUrl,
              ...store,
            ],
            { PATH: process.env.PATH },
          ),
        ),
      );
      for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: "" });
      expect(await other.kysely.selectFrom("signing_keys").select("kid").execute()).toHaveLength(1);
      for (const r of runs) expect(await listTenants(server, r.stdout.trim())).toBe("ok");
    },
  );

  it.runIf(run)("accepts a token of a key another replica just rotated to, on its first use", async () => {
    // The server has its keys in memory (it just verified a token of its own)...
    expect(await whoami(server, (await server.ctx.tokens.issueUserSession("boot")).accessToken)).toBe("ok");
    // ...when another replica rotates.
    const replica = createSigningKeys(other, () => new Date());
    await replica.rotate(60_000);
    const fromReplica = await issueWith(server, await replica.active());
    expect(await whoami(server, fromReplica)).toBe("ok");
  });

  it.runIf(run)("refuses kids that are not ours, and a kid it just looked up in vain", async () => {
    for (const kid of ["../../etc/passwd", "' or 1=1 --", "x".repeat(5000), ""]) {
      expect(await listTenants(server, tokenNaming(kid))).toMatch(
        /^Unauthenticated: token (is signed by an unknown key|has no key id);/,
      );
    }
    const guessed = tokenNaming("7f3c1d2e-9a8b-4c5d-8e6f-0a1b2c3d4e5f");
    expect(await listTenants(server, guessed)).toBe(UNKNOWN_KEY);
    expect(await listTenants(server, guessed)).toBe(UNKNOWN_KEY);
  });
});
