import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authenticateLocal,
  backoffMs,
  createLocalUser,
  FREE_FAILED_LOGINS,
  getLocalUser,
} from "../../src/idp/local-users.js";
import { generatePassword, passwordPolicyViolation, verifyPassword } from "../../src/idp/passwords.js";
import { defaultServerConfig } from "../../src/server/config.js";
import { silentLogger } from "../../src/server/log.js";
import { idpDeps } from "../../src/server/oauth/runtime.js";
import { type RunningServer, startServer } from "../../src/server/server.js";

describe("local users", () => {
  let dataDir: string;
  let server: RunningServer;
  let printed = "";
  const boot = () =>
    startServer(
      { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir },
      {
        log: silentLogger,
        stdout: (t) => {
          printed += t;
        },
      },
    );

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-idp-"));
    server = await boot();
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores argon2id hashes only", async () => {
    await createLocalUser(idpDeps(server.ctx), {
      id: "ivy",
      displayName: "Ivy",
      email: "",
      roles: ["solution-admin"],
      password: "Spring-Garden-2024",
    });
    const row = await server.ctx.db.kysely
      .selectFrom("idp_users")
      .selectAll()
      .where("id", "=", "ivy")
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain("Spring-Garden-2024");
  });

  it("verifies a password even for unknown users, so the answer time does not reveal them", async () => {
    const checked: (string | undefined)[] = [];
    const counting: typeof verifyPassword = async (stored, password) => {
      checked.push(stored);
      return verifyPassword(stored, password);
    };
    const unknown = await authenticateLocal(idpDeps(server.ctx), "nobody", "whatever", counting);
    const wrong = await authenticateLocal(idpDeps(server.ctx), "ivy", "whatever", counting);
    expect(unknown).toEqual({ ok: false, reason: "invalid" });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(checked).toHaveLength(2);
    expect(checked[0]).toBeUndefined();
    expect(checked[1]).toMatch(/^\$argon2id\$/);
  });

  it("grows the back-off after repeated failures and resets it on success", async () => {
    expect(backoffMs(FREE_FAILED_LOGINS - 1)).toBe(0);
    expect(backoffMs(FREE_FAILED_LOGINS)).toBe(30_000);
    expect(backoffMs(FREE_FAILED_LOGINS + 1)).toBe(60_000);
    expect(backoffMs(100)).toBe(60 * 60_000);
    const deps = idpDeps(server.ctx);
    await createLocalUser(deps, {
      id: "jack",
      displayName: "",
      email: "",
      roles: [],
      password: "Autumn-Forest-2024",
    });
    for (let i = 0; i < 3; i++) await authenticateLocal(deps, "jack", "wrong");
    expect((await getLocalUser(deps, "jack"))?.failedLogins).toBe(3);
    expect((await authenticateLocal(deps, "jack", "Autumn-Forest-2024")).ok).toBe(true);
    expect((await getLocalUser(deps, "jack"))?.failedLogins).toBe(0);
  });

  it("enforces the password policy and generates passwords that satisfy it", () => {
    expect(passwordPolicyViolation("short", "u")).toContain("12 characters");
    expect(passwordPolicyViolation("alllowercaseletters", "u")).toContain("three of");
    expect(passwordPolicyViolation("Kate-Password-1", "kate")).toContain("user name");
    expect(passwordPolicyViolation("Good-Password-1", "kate")).toBeUndefined();
    for (let i = 0; i < 20; i++) expect(passwordPolicyViolation(generatePassword(), "admin")).toBeUndefined();
  });

  it("keeps users, clients and signing keys across a restart and creates the super-admin only once", async () => {
    expect(printed).toContain('super-admin "admin"');
    const jwks = async () =>
      (await (await fetch(`${server.url}/idp/jwks`)).json()) as { keys: { kid: string }[] };
    const before = await jwks();
    await server.ctx.db.kysely
      .insertInto("idp_clients")
      .values({
        client_id: "ui",
        name: "UI",
        client_secret: "",
        redirect_uris: "[]",
        created_at: new Date().toISOString(),
      })
      .execute();
    await server.close();
    printed = "";
    server = await boot();
    expect(printed).toBe("");
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(before.keys.map((k) => k.kid));
    expect(await getLocalUser(idpDeps(server.ctx), "ivy")).toBeDefined();
    expect(await getLocalUser(idpDeps(server.ctx), "admin")).toBeDefined();
    const client = await server.ctx.db.kysely.selectFrom("idp_clients").selectAll().executeTakeFirst();
    expect(client?.client_id).toBe("ui");
  });
});
