import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { toJsonString } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineServiceGetResponseSchema } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MachineProvisioningEventType as Ev } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { AgentService } from "../../../src/gen/metalstack/infra/v2/agent_pb.js";
import { DEMO_USER_ID, SIMULATOR_USER_ID } from "../../../src/server/dev/seed.js";
import {
  DEMO_IMAGES,
  DEMO_NETWORKS,
  DEMO_PARTITION,
  DEMO_SIZES,
} from "../../../src/server/dev/seed-catalog.js";
import { createLogger } from "../../../src/server/log.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { postgresAvailable } from "../../helpers/components.js";
import { createPostgresDatabase } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { agentToken, type Clients, clientsForUser, clientsWithToken } from "./fixture.js";

describe("dev environment (serve --dev)", () => {
  let server: TestServer;
  let asDemo: Clients;
  let asOps: Clients;
  let projectId: string;
  let networkId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    process.env.METAL_DEV_STEP_DELAY_MS = "5";
    process.env.METAL_DEV_MACHINES = "6";
    server = await startTestServer(
      { dev: true },
      { log: createLogger("debug", (line) => logLines.push(line)) },
    );
    const db = server.ctx.db.kysely;
    const project = await db
      .selectFrom("projects")
      .select("id")
      .where("tenant_id", "=", DEMO_USER_ID)
      .executeTakeFirstOrThrow();
    projectId = project.id;
    networkId = (
      await db.selectFrom("networks").select("id").where("project", "=", projectId).executeTakeFirstOrThrow()
    ).id;
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.VIEWER });
    asDemo = await clientsForUser(server, DEMO_USER_ID);
    asOps = await clientsForUser(server, "ops");
  });
  afterAll(() => server?.close());

  it("starts with a waiting pool spread over three racks and the seeded sizes", async () => {
    const { machines } = await asOps.adminMachine.list({ query: { partition: DEMO_PARTITION } });
    expect(machines).toHaveLength(6);
    expect(machines.every((m) => m.status?.lastEvent === Ev.WAITING)).toBe(true);
    expect(new Set(machines.map((m) => m.rack)).size).toBe(3);
    expect(new Set(machines.map((m) => m.size))).toEqual(new Set(DEMO_SIZES));
  });

  it("lets the demo user allocate a machine that the simulator brings to Phoned Home", async () => {
    const { machine } = await asDemo.machine.create({
      project: projectId,
      name: "demo-1",
      partition: DEMO_PARTITION,
      size: DEMO_SIZES[0],
      image: "ubuntu-24.04",
      networks: [{ network: networkId }, { network: DEMO_NETWORKS.internet }],
    });
    expect(machine?.allocation?.image).toBe(DEMO_IMAGES.ubuntu);
    const seen: Ev[] = [];
    for await (const res of asDemo.machine.watch({
      project: projectId,
      uuid: machine!.uuid,
      includeHistory: true,
    })) {
      seen.push(res.event!.event);
      if (res.event!.event === Ev.PHONED_HOME) break;
    }
    expect(seen).toEqual([Ev.INSTALLING, Ev.BOOTING_NEW_KERNEL, Ev.PHONED_HOME]);
  });

  it("gives the simulator a token for the agent methods only", async () => {
    const methods = ["Register", "ReportEvent", "FetchTasks", "Consoles", "CompleteTask"].map(
      (m) => `/${AgentService.typeName}/${m}`,
    );
    const tokens = await server.ctx.tokens.store.list({ userId: SIMULATOR_USER_ID, now: new Date() });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({
      kind: "api",
      permissions: [{ subject: "*", methods }],
      projectRoles: {},
      adminRole: 0,
    });
  });

  it("never returns or logs BMC credentials", async () => {
    const rows = await server.ctx.db.kysely
      .selectFrom("machines")
      .select(["id", "bmc_user", "bmc_password"])
      .execute();
    const passwords = rows.map((r) => r.bmc_password);
    expect(passwords.every((p) => p.length >= 12)).toBe(true);
    for (const r of rows) {
      const res = await asOps.adminMachine.get({ uuid: r.id });
      expect(res.bmc?.address).toMatch(/:623$/);
      const json = toJsonString(MachineServiceGetResponseSchema, res);
      for (const p of passwords) expect(json).not.toContain(p);
    }
    const listed = JSON.stringify(await asDemo.machine.list({ project: projectId }), (_k, v) =>
      typeof v === "bigint" ? v.toString() : v,
    );
    for (const p of passwords) expect(listed).not.toContain(p);
    expect(logLines.length).toBeGreaterThan(0);
    for (const p of passwords) expect(logLines.join("\n")).not.toContain(p);
  });

  it("refuses agent calls without an agent grant and project calls with an agent token", async () => {
    await expect(asDemo.agent.fetchTasks({ partition: DEMO_PARTITION })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    const asAgent = clientsWithToken(server, await agentToken(server.ctx));
    await expect(asAgent.machine.list({ project: projectId })).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    await expect(asAgent.adminMachine.list({})).rejects.toMatchObject({ code: Code.PermissionDenied });
  });
});

describe("dev environment restart", () => {
  it("keeps allocations and the pool, and replaces the simulator token", async () => {
    process.env.METAL_DEV_STEP_DELAY_MS = "5";
    process.env.METAL_DEV_MACHINES = "3";
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-dev-restart-"));
    // On PostgreSQL both starts must share one database, as the SQLite run shares the data directory.
    const pg =
      process.env.METAL_TEST_DATABASE === "postgres" && (await postgresAvailable())
        ? await createPostgresDatabase()
        : undefined;
    const config = { dev: true, dataDir, ...(pg ? { databaseUrl: pg.url } : {}) };
    try {
      let server = await startTestServer(config);
      const db = () => server.ctx.db.kysely;
      const projectId = (
        await db()
          .selectFrom("projects")
          .select("id")
          .where("tenant_id", "=", DEMO_USER_ID)
          .executeTakeFirstOrThrow()
      ).id;
      const networkId = (
        await db()
          .selectFrom("networks")
          .select("id")
          .where("project", "=", projectId)
          .executeTakeFirstOrThrow()
      ).id;
      const asDemo = await clientsForUser(server, DEMO_USER_ID);
      const { machine } = await asDemo.machine.create({
        project: projectId,
        name: "survivor",
        partition: DEMO_PARTITION,
        size: DEMO_SIZES[1],
        image: DEMO_IMAGES.debian,
        networks: [{ network: networkId }],
      });
      for await (const res of asDemo.machine.watch({
        project: projectId,
        uuid: machine!.uuid,
        includeHistory: true,
      })) {
        if (res.event?.event === Ev.PHONED_HOME) break;
      }
      await server.close();

      server = await startTestServer(config);
      const again = await clientsForUser(server, DEMO_USER_ID);
      const { machine: kept } = await again.machine.get({ project: projectId, uuid: machine!.uuid });
      expect(kept?.allocation?.name).toBe("survivor");
      expect(kept?.status?.lastEvent).toBe(Ev.PHONED_HOME);
      expect(await db().selectFrom("machines").select("id").execute()).toHaveLength(3);
      expect(
        await db().selectFrom("projects").select("id").where("tenant_id", "=", DEMO_USER_ID).execute(),
      ).toHaveLength(1);
      const tokens = await server.ctx.tokens.store.list({ userId: SIMULATOR_USER_ID, now: new Date() });
      expect(tokens).toHaveLength(1);
      await server.close();
    } finally {
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("dev environment behind a proxy", () => {
  it("starts when --public-url names a port this process does not listen on", async () => {
    process.env.METAL_DEV_STEP_DELAY_MS = "5";
    process.env.METAL_DEV_MACHINES = "2";
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const server = await startTestServer({ dev: true, publicUrl: `http://127.0.0.1:${port}` });
    try {
      await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.VIEWER });
      const asOps = await clientsForUser(server, "ops");
      const { machines } = await asOps.adminMachine.list({ query: { partition: DEMO_PARTITION } });
      expect(machines.map((m) => m.status?.lastEvent)).toEqual([Ev.WAITING, Ev.WAITING]);
    } finally {
      await server.close();
    }
  });
});
