import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

let world: DemoWorld;
let demo: NodeJS.ProcessEnv;
let admin: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startDemoWorld();
  demo = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  admin = cliEnv(world.home(), world.server.url, world.adminToken);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe("catalog, network, ip, tenant and api commands against the dev server", () => {
  it("lists the read-only catalog", async () => {
    for (const topic of ["partition", "size", "image", "filesystem"]) {
      const res = await runCli([topic, "list", "-o", "json"], demo);
      expect(res.code, `${topic}: ${res.stderr}`).toBe(0);
      const items = JSON.parse(res.stdout) as { id: string }[];
      expect(items.length).toBeGreaterThan(0);
      const one = await runCli([topic, "describe", items[0]!.id, "-o", "yaml"], demo);
      expect(one.code).toBe(0);
      expect(one.stdout).toContain(`id: ${items[0]!.id}`);
    }
    const latest = await runCli(
      ["image", "latest", "ubuntu", "-o", "template", "--template", "{{ .os }}"],
      demo,
    );
    expect(latest.stdout.trim()).toBe("ubuntu");
  }, 60_000);

  it("allocates a network, acquires and releases an IP in it, and frees the network", async () => {
    const parts = JSON.parse((await runCli(["partition", "list", "-o", "json"], demo)).stdout) as {
      id: string;
    }[];
    const alloc = await runCli(
      ["network", "allocate", "--name", "fam-net", "--partition", parts[0]!.id, "-o", "json"],
      demo,
    );
    expect(alloc.code, alloc.stderr).toBe(0);
    const net = JSON.parse(alloc.stdout) as { id: string; parentNetworkId: string };
    const tree = await runCli(["network", "list"], demo);
    expect(tree.stdout).toMatch(new RegExp(`[├└]─ ${net.id}`));

    const ip = await runCli(["ip", "create", "--network", net.id, "--name", "fam-ip", "-o", "json"], demo);
    expect(ip.code, ip.stderr).toBe(0);
    const ipId = JSON.parse(ip.stdout).id as string;
    const upd = await runCli(
      ["ip", "update", ipId, "--type", "static", "--labels", "a=b", "-o", "json"],
      demo,
    );
    expect(JSON.parse(upd.stdout).type).toBe("IP_TYPE_STATIC");
    const listed = await runCli(["ip", "list", "--network", net.id], demo);
    expect(listed.stdout).toContain("fam-ip");
    expect((await runCli(["ip", "delete", ipId], demo)).code).toBe(2);
    expect((await runCli(["ip", "delete", ipId, "--yes"], demo)).code).toBe(0);
    expect((await runCli(["ip", "describe", ipId], demo)).code).toBe(5);

    const freed = await runCli(["network", "free", net.id, "--yes"], demo);
    expect(freed.code, freed.stderr).toBe(0);
  }, 60_000);

  it("creates a tenant, invites and lets another user join through stdin, lists members", async () => {
    const t = await runCli(["tenant", "create", "--name", "Fam Tenant", "-o", "json"], demo);
    expect(t.code, t.stderr).toBe(0);
    const tenant = JSON.parse(t.stdout).id as string;
    const inv = await runCli(["tenant", "invite", tenant, "--role", "viewer", "-o", "json"], demo);
    expect(inv.code, inv.stderr).toBe(0);
    const secret = JSON.parse(inv.stdout).secret as string;
    const outsider = cliEnv(world.home(), world.server.url, world.outsiderToken);
    const join = await runCli(["tenant", "join"], outsider, `${secret}\n`);
    expect(join.code, join.stderr).toBe(0);
    expect(join.stderr).toContain("as viewer");
    const members = await runCli(["tenant", "members", tenant, "-o", "json"], demo);
    expect((JSON.parse(members.stdout) as { user: string }[]).map((m) => m.user).sort()).toEqual([
      "demo",
      "outsider",
    ]);
    // A viewer may not change the tenant, nor see or withdraw its invitations.
    expect((await runCli(["tenant", "update", tenant, "--name", "x"], outsider)).code).toBe(4);
    const open = await runCli(["tenant", "invite", tenant, "--role", "editor", "-o", "json"], demo);
    const openId = JSON.parse(open.stdout).invite.id as string;
    expect((await runCli(["tenant", "invite", "list", tenant], outsider)).code).toBe(4);
    expect((await runCli(["tenant", "invite", "delete", tenant, openId, "--yes"], outsider)).code).toBe(4);
    const listed = await runCli(["tenant", "invite", "list", tenant, "-o", "json"], demo);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((i) => i.id)).toEqual([openId]);
    expect((await runCli(["tenant", "invite", "delete", tenant, openId], demo)).code).toBe(2);
    const withdrawn = await runCli(["tenant", "invite", "delete", tenant, openId, "--yes"], demo);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    expect(
      JSON.parse((await runCli(["tenant", "invite", "list", tenant, "-o", "json"], demo)).stdout),
    ).toEqual([]);
    expect((await runCli(["tenant", "leave", tenant, "--yes"], outsider)).code).toBe(0);
  }, 60_000);

  it("invites to a project and lets another user join and leave it", async () => {
    const inv = await runCli(["project", "invite", world.project, "--role", "editor", "-o", "json"], demo);
    expect(inv.code, inv.stderr).toBe(0);
    const secret = JSON.parse(inv.stdout).secret as string;
    const outsider = cliEnv(world.home(), world.server.url, world.outsiderToken);
    const join = await runCli(["project", "join"], outsider, `${secret}\n`);
    expect(join.code, join.stderr).toBe(0);
    expect(join.stderr).toContain("as editor");
    // The secret is single-use.
    expect((await runCli(["project", "join"], outsider, `${secret}\n`)).code).not.toBe(0);
    const members = await runCli(["project", "members", world.project, "-o", "json"], demo);
    expect((JSON.parse(members.stdout) as { user: string }[]).map((m) => m.user)).toContain("outsider");
    expect((await runCli(["project", "leave", world.project], outsider)).code).toBe(2);
    expect((await runCli(["project", "leave", world.project, "--yes"], outsider)).code).toBe(0);
  }, 60_000);

  it("creates, changes and deletes a project; owners list and withdraw its invitations, viewers may not", async () => {
    const made = await runCli(
      ["project", "create", "--tenant", "demo", "--name", "fam-proj", "--labels", "a=b", "-o", "json"],
      demo,
    );
    expect(made.code, made.stderr).toBe(0);
    const p = JSON.parse(made.stdout) as { id: string; tenant: string };
    expect(p.tenant).toBe("demo");
    expect(made.stderr).toContain(`Created project fam-proj (${p.id})`);
    const changed = await runCli(
      ["project", "update", "fam-proj", "--description", "Families", "--remove-labels", "a", "-o", "json"],
      demo,
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({ id: p.id, description: "Families" });
    expect(JSON.parse(changed.stdout).meta.labels ?? {}).toEqual({});

    const viewer = await runCli(["project", "invite", p.id, "--role", "viewer", "-o", "json"], demo);
    const outsider = cliEnv(world.home(), world.server.url, world.outsiderToken);
    expect((await runCli(["project", "join"], outsider, `${JSON.parse(viewer.stdout).secret}\n`)).code).toBe(
      0,
    );
    const open = await runCli(["project", "invite", p.id, "--role", "owner", "-o", "json"], demo);
    const openId = JSON.parse(open.stdout).invite.id as string;
    expect((await runCli(["project", "invite", "list", p.id], outsider)).code).toBe(4);
    expect((await runCli(["project", "invite", "delete", p.id, openId, "--yes"], outsider)).code).toBe(4);
    const listed = await runCli(["project", "invite", "list", "fam-proj"], demo);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(openId);
    expect(listed.stdout).toMatch(/owner/i);
    const withdrawn = await runCli(["project", "invite", "delete", p.id, openId, "--yes"], demo);
    expect(withdrawn.code, withdrawn.stderr).toBe(0);
    const none = await runCli(["project", "invite", "list", p.id, "-o", "json"], demo);
    expect(JSON.parse(none.stdout)).toEqual([]);

    expect((await runCli(["project", "delete", p.id], outsider)).code).not.toBe(0);
    expect((await runCli(["project", "delete", p.id], demo)).code).toBe(2);
    const gone = await runCli(["project", "delete", "fam-proj", "--yes"], demo);
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stderr).toContain(`Deleted project fam-proj (${p.id})`);
    expect((await runCli(["project", "describe", p.id], demo)).code).not.toBe(0);
  }, 60_000);

  it("refuses project create without a tenant or a name, naming the flags", async () => {
    const res = await runCli(["project", "create", "--name", "x"], demo);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--tenant");
  });

  it("calls any method with `api` and prints JSON", async () => {
    const res = await runCli(["api", "metalstack.api.v2.UserService/Get"], demo);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).user.id).toBe("demo");
    const list = await runCli(
      ["api", "ImageService/List", "--data", JSON.stringify({ project: world.project })],
      demo,
    );
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).images.length).toBeGreaterThan(0);
    expect((await runCli(["api", "MachineService/List", "--data", "{nope"], demo)).code).toBe(2);
    expect((await runCli(["api", "metalstack.admin.v2.UserService/List"], demo)).code).toBe(4);
  }, 60_000);
});

describe("admin commands", () => {
  it("manages local users; the password only comes from stdin or a prompt", async () => {
    const created = await runCli(
      [
        "admin",
        "user",
        "create",
        "carol",
        "--name",
        "Carol",
        "--roles",
        "read_only",
        "--password-stdin",
        "-o",
        "json",
      ],
      admin,
      "Very-Secret-Pass-123\n",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).not.toContain("Very-Secret");
    expect(JSON.parse(created.stdout).roles).toEqual(["LOCAL_ROLE_READ_ONLY"]);
    expect((await runCli(["admin", "user", "create", "dave", "--password", "x"], admin)).code).toBe(2);

    const list = await runCli(["admin", "user", "list"], admin);
    expect(list.stdout).toMatch(/carol\s+Carol/);
    const locked = await runCli(["admin", "user", "lock", "carol", "-o", "json"], admin);
    expect(JSON.parse(locked.stdout).locked).toBe(true);
    const unlocked = await runCli(["admin", "user", "unlock", "carol", "-o", "json"], admin);
    expect(JSON.parse(unlocked.stdout).locked ?? false).toBe(false);
    const upd = await runCli(
      ["admin", "user", "update", "carol", "--email", "carol@example.com", "-o", "json"],
      admin,
    );
    expect(JSON.parse(upd.stdout).email).toBe("carol@example.com");
    const pw = await runCli(
      ["admin", "user", "passwd", "carol", "--password-stdin", "--temporary"],
      admin,
      "Another-Pass-456\n",
    );
    expect(pw.code, pw.stderr).toBe(0);
    expect((await runCli(["admin", "user", "describe", "carol", "-o", "json"], admin)).stdout).toContain(
      '"mustChangePassword": true',
    );
    expect((await runCli(["admin", "user", "list"], demo)).code).toBe(4);
    expect((await runCli(["admin", "user", "delete", "carol", "--yes"], admin)).code).toBe(0);
    expect((await runCli(["admin", "user", "describe", "carol"], admin)).code).toBe(5);
  }, 90_000);

  it("lists everything across projects and manages global catalog entries from files", async () => {
    const machines = await runCli(["admin", "machine", "list", "-o", "json"], admin);
    expect(machines.code, machines.stderr).toBe(0);
    expect((JSON.parse(machines.stdout) as unknown[]).length).toBeGreaterThan(0);
    expect((await runCli(["admin", "project", "list"], admin)).stdout).toContain(world.project);
    expect((await runCli(["admin", "network", "list"], admin)).stdout).toContain("internet");
    expect((await runCli(["admin", "tenant", "list", "-o", "json"], admin)).code).toBe(0);
    expect((await runCli(["admin", "token", "list", "--user", "demo", "-o", "json"], admin)).code).toBe(0);
    expect((await runCli(["admin", "machine", "list"], demo)).code).toBe(4);

    const file = path.join(admin.HOME!, "partition.yaml");
    fs.writeFileSync(file, "id: test-part\ndescription: made by a test\n");
    const created = await runCli(["admin", "partition", "create", "-f", file, "-o", "json"], admin);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).description).toBe("made by a test");
    expect((await runCli(["partition", "describe", "test-part"], demo)).code).toBe(0);
    expect((await runCli(["admin", "partition", "delete", "test-part", "--yes"], admin)).code).toBe(0);
    expect((await runCli(["partition", "describe", "test-part"], demo)).code).toBe(5);

    const bad = path.join(admin.HOME!, "bad.yaml");
    fs.writeFileSync(bad, "id: x\nprefixes: not-a-list-of-strings: [\n");
    expect((await runCli(["admin", "partition", "create", "-f", bad], admin)).code).toBe(2);

    const net = path.join(admin.HOME!, "network.yaml");
    fs.writeFileSync(
      net,
      "id: dmz\ntype: NETWORK_TYPE_EXTERNAL\nname: dmz\nprefixes: [198.51.100.0/24]\ndestinationPrefixes: [0.0.0.0/0]\n",
    );
    const network = await runCli(["admin", "network", "create", "-f", net, "-o", "json"], admin);
    expect(network.code, network.stderr).toBe(0);
    expect((await runCli(["admin", "network", "list"], admin)).stdout).toContain("198.51.100.0/24");

    const tenant = await runCli(
      [
        "admin",
        "tenant",
        "create",
        "--owner",
        "demo",
        "--name",
        "Acme Corp",
        "--id",
        "acme-corp",
        "-o",
        "json",
      ],
      admin,
    );
    expect(tenant.code, tenant.stderr).toBe(0);
    expect((await runCli(["tenant", "list"], demo)).stdout).toContain("acme-corp");
    expect((await runCli(["admin", "tenant", "create", "--owner", "demo", "--name", "x"], demo)).code).toBe(
      4,
    );
  }, 90_000);

  it("registers and deletes OIDC clients", async () => {
    const c = await runCli(
      [
        "admin",
        "oidc-client",
        "create",
        "grafana",
        "--redirect-uri",
        "https://grafana.example/cb",
        "-o",
        "json",
      ],
      admin,
    );
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout).clientSecret).toBeTruthy();
    expect((await runCli(["admin", "oidc-client", "list"], admin)).stdout).toContain("grafana");
    expect((await runCli(["admin", "oidc-client", "delete", "grafana", "--yes"], admin)).code).toBe(0);
  }, 60_000);
});
