import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type TestDatabase } from "../../helpers/databases.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { DIALECTS } from "../network/stores.js";
import {
  type Clients,
  clientsForUser,
  createTestProject,
  IMAGE,
  PARTITION,
  SIZES,
  seedTestCatalog,
  startTestPool,
  type TestProject,
} from "./fixture.js";

const FREE = 3;
const CALLERS = 8;

describe.each(DIALECTS)("concurrent machine creates on %s", (dialect, run) => {
  let server: TestServer | undefined;
  let pg: TestDatabase | undefined;
  let project: TestProject;
  let clients: Clients;
  let pool: Awaited<ReturnType<typeof startTestPool>> | undefined;

  beforeAll(async () => {
    if (!run) return;
    if (dialect === "postgres") pg = await createPostgresDatabase();
    server = await startTestServer(pg ? { databaseUrl: pg.url } : {});
    await seedTestCatalog(server.ctx);
    project = await createTestProject(server.ctx, "carol");
    clients = await clientsForUser(server, "carol");
    pool = await startTestPool(server, {
      count: FREE,
      racks: ["r1", "r2"],
      prefix: `conc-${dialect}`,
      sizes: [SIZES[1]!],
    });
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
    await pg?.drop();
  });

  it.runIf(run)(
    `gives ${FREE} of ${CALLERS} simultaneous creates a machine each and refuses the rest`,
    async () => {
      const results = await Promise.allSettled(
        Array.from({ length: CALLERS }, (_, i) =>
          clients.machine.create({
            project: project.projectId,
            name: `conc-${i}`,
            partition: PARTITION,
            size: SIZES[1]!,
            image: IMAGE,
            networks: [{ network: project.networkId }],
          }),
        ),
      );
      const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.machine!] : []));
      const lost = results.flatMap((r) => (r.status === "rejected" ? [ConnectError.from(r.reason)] : []));
      expect(won).toHaveLength(FREE);
      expect(new Set(won.map((m) => m.uuid)).size).toBe(FREE);
      expect(new Set(won.flatMap((m) => m.allocation!.networks.flatMap((n) => n.ips))).size).toBe(FREE);
      expect(lost).toHaveLength(CALLERS - FREE);
      for (const err of lost) {
        expect(err.code).toBe(Code.ResourceExhausted);
        expect(err.rawMessage).toContain(`no free machine of size ${SIZES[1]} in partition ${PARTITION}`);
      }
      const { machines } = await clients.machine.list({ project: project.projectId });
      expect(machines.map((m) => m.uuid).sort()).toEqual(won.map((m) => m.uuid).sort());
    },
  );
});
