import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

describe("ensureUser", () => {
  let server: TestServer;
  const changed: string[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    server.ctx.accessChanges.subscribe((change) => {
      if (change.kind === "membership") changed.push(change.userId);
    });
  });
  afterAll(() => server.close());

  it("creates the user with a personal tenant it owns on first sight", async () => {
    const user = await ensureUser(server.ctx, { id: "alice", name: "Alice", email: "alice@example.com" });
    expect(user).toMatchObject({ id: "alice", name: "Alice", admin_role: AdminRole.UNSPECIFIED });
    const db = server.ctx.db.kysely;
    const tenant = await db
      .selectFrom("tenants")
      .selectAll()
      .where("id", "=", "alice")
      .executeTakeFirstOrThrow();
    expect(tenant).toMatchObject({ personal: 1, created_by: "alice", email: "alice@example.com" });
    const members = await db
      .selectFrom("tenant_members")
      .selectAll()
      .where("tenant_id", "=", "alice")
      .execute();
    expect(members.map((m) => [m.user_id, m.role])).toEqual([["alice", TenantRole.OWNER]]);
  });

  it("updates name and email later and keeps the admin role when none is given", async () => {
    await ensureUser(server.ctx, { id: "bob", name: "Bob", email: "b@x", adminRole: AdminRole.VIEWER });
    changed.length = 0;
    const user = await ensureUser(server.ctx, { id: "bob", name: "Robert", email: "robert@x" });
    expect(user).toMatchObject({ name: "Robert", email: "robert@x", admin_role: AdminRole.VIEWER });
    expect(changed).toEqual([]);
  });

  it("carries a rename over to the personal tenant unless the tenant was edited", async () => {
    await ensureUser(server.ctx, { id: "gina", name: "Gina", email: "g@x" });
    await ensureUser(server.ctx, { id: "gina", name: "Gina Smith", email: "gina@x" });
    const db = server.ctx.db.kysely;
    const renamed = await db
      .selectFrom("tenants")
      .selectAll()
      .where("id", "=", "gina")
      .executeTakeFirstOrThrow();
    expect(renamed).toMatchObject({ name: "Gina Smith", email: "gina@x", generation: 2 });
    await db.updateTable("tenants").set({ name: "Gina's lab" }).where("id", "=", "gina").execute();
    await ensureUser(server.ctx, { id: "gina", name: "G. Smith", email: "gina@y" });
    const kept = await db
      .selectFrom("tenants")
      .selectAll()
      .where("id", "=", "gina")
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ name: "Gina's lab", email: "gina@y" });
  });

  it("tells membership listeners when the admin role changes", async () => {
    await ensureUser(server.ctx, { id: "carol", name: "Carol", email: "c@x" });
    changed.length = 0;
    await ensureUser(server.ctx, { id: "carol", name: "Carol", email: "c@x", adminRole: AdminRole.EDITOR });
    expect(changed).toEqual(["carol"]);
    const again = await ensureUser(server.ctx, {
      id: "carol",
      name: "Carol",
      email: "c@x",
      adminRole: AdminRole.EDITOR,
    });
    expect(again.admin_role).toBe(AdminRole.EDITOR);
    expect(changed).toEqual(["carol"]);
  });

  it("is safe under concurrent first calls", async () => {
    const calls = Array.from({ length: 8 }, () =>
      ensureUser(server.ctx, { id: "dave", name: "Dave", email: "d@x" }),
    );
    const users = await Promise.all(calls);
    expect(new Set(users.map((u) => u.id))).toEqual(new Set(["dave"]));
    const members = await server.ctx.db.kysely
      .selectFrom("tenant_members")
      .selectAll()
      .where("user_id", "=", "dave")
      .execute();
    expect(members).toHaveLength(1);
  });

  it("refuses a user whose id is already taken by an organisation tenant, leaving nothing behind", async () => {
    const now = new Date().toISOString();
    await server.ctx.db.kysely
      .insertInto("tenants")
      .values({
        id: "acme",
        name: "ACME",
        description: "",
        email: "",
        personal: 0,
        created_by: "alice",
        generation: 1,
        labels: "{}",
        created_at: now,
        updated_at: now,
      })
      .execute();
    const err = await ensureUser(server.ctx, { id: "acme", name: "Acme Person", email: "a@x" }).catch(
      (e) => e,
    );
    expect(ConnectError.from(err).code).toBe(Code.AlreadyExists);
    const user = await server.ctx.db.kysely
      .selectFrom("users")
      .select("id")
      .where("id", "=", "acme")
      .execute();
    expect(user).toEqual([]);
  });

  it("adopts the personal tenant an earlier user of the same id left behind", async () => {
    await ensureUser(server.ctx, { id: "frank", name: "Frank", email: "f@x" });
    await server.ctx.db.kysely.deleteFrom("users").where("id", "=", "frank").execute();
    const again = await ensureUser(server.ctx, { id: "frank", name: "Frank", email: "f@x" });
    expect(again.id).toBe("frank");
    const members = await server.ctx.db.kysely
      .selectFrom("tenant_members")
      .selectAll()
      .where("tenant_id", "=", "frank")
      .execute();
    expect(members.map((m) => [m.user_id, m.role])).toEqual([["frank", TenantRole.OWNER]]);
  });

  it("rejects an empty id and an unknown admin role", async () => {
    const empty = await ensureUser(server.ctx, { id: " ", name: "x", email: "x" }).catch((e) => e);
    expect(ConnectError.from(empty).code).toBe(Code.InvalidArgument);
    const role = await ensureUser(server.ctx, {
      id: "eve",
      name: "x",
      email: "x",
      adminRole: 9 as AdminRole,
    }).catch((e) => e);
    expect(ConnectError.from(role).code).toBe(Code.InvalidArgument);
  });

  it.each([
    [
      "id",
      { id: "ad\u202enimda", name: "Admin", email: "" },
      "user id: bidirectional formatting character U+202E",
    ],
    [
      "name",
      { id: "rtl-name", name: "Eve \u2067nimdA\u2069", email: "" },
      "user name: bidirectional formatting character U+2067",
    ],
    [
      "email",
      { id: "rtl-mail", name: "M", email: "m\u200f@example.com" },
      "user email: bidirectional formatting character U+200F",
    ],
    ["id", { id: "line\nbreak", name: "L", email: "" }, "user id: control character U+000A"],
  ])("refuses a %s from an identity source that a request could not send, storing nothing", async (_f, u, message) => {
    const err = ConnectError.from(await ensureUser(server.ctx, u).catch((e) => e));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.rawMessage).toContain(message);
    const db = server.ctx.db.kysely;
    expect(
      await db.selectFrom("users").select("id").where("id", "=", u.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await db.selectFrom("tenants").select("id").where("id", "=", u.id).executeTakeFirst(),
    ).toBeUndefined();
  });

  it("keeps a stored user as it was when a later login brings a bidi name", async () => {
    await ensureUser(server.ctx, { id: "ruth", name: "Ruth", email: "r@x" });
    const err = await ensureUser(server.ctx, { id: "ruth", name: "Ruth\u202e", email: "r@x" }).catch(
      (e) => e,
    );
    expect(ConnectError.from(err).code).toBe(Code.InvalidArgument);
    const row = await server.ctx.db.kysely
      .selectFrom("users")
      .selectAll()
      .where("id", "=", "ruth")
      .executeTakeFirstOrThrow();
    expect(row.name).toBe("Ruth");
  });
});
