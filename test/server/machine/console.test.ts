import type { DescService, MessageInitShape } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type MachineServiceConsoleRequestSchema as AdminConsoleRequestSchema,
  MachineService as AdminMachineService,
} from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  MachineService,
  type MachineServiceConsoleRequestSchema,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import {
  AgentService,
  type AgentServiceConsolesRequestSchema,
  type AgentServiceConsolesResponse,
} from "../../../src/gen/metalstack/infra/v2/agent_pb.js";
import { createPartition } from "../../../src/server/catalog/partitions.js";
import { getSize } from "../../../src/server/catalog/sizes.js";
import { createBoundedQueue } from "../../../src/server/console/bounded-queue.js";
import { demoMachines } from "../../../src/server/dev/demo-machines.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addProjectViewer,
  agentToken,
  clientsForUser,
  createTestProject,
  eventually,
  IMAGE,
  INTERNET,
  PARTITION,
  SIZES,
  seedTestCatalog,
  startTestPool,
  type TestProject,
} from "./fixture.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** h2Client is a client of one service over HTTP/2 with a user's token: consoles are bidi streams. */
function h2Client<S extends DescService>(server: TestServer, service: S, token: string): Client<S> {
  return createClient(
    service,
    createConnectTransport({
      baseUrl: server.url,
      httpVersion: "2",
      interceptors: [
        (next) => (req) => {
          req.header.set("authorization", `Bearer ${token}`);
          return next(req);
        },
      ],
    }),
  );
}

/** Terminal is the user's end of a console stream: what it typed goes out, what it printed comes in. */
interface Terminal<R> {
  send(request: R): void;
  /** until reads output until `pattern` matches all output so far, and returns that output. */
  until(pattern: RegExp): Promise<string>;
  /** ended resolves with the error that ended the stream, or undefined when it ended cleanly; then it hangs up. */
  ended(): Promise<ConnectError | undefined>;
  hangUp(): void;
}

function terminal<R extends object>(
  open: (requests: AsyncIterable<R>) => AsyncIterable<{ output: Uint8Array }>,
  first: R,
): Terminal<R> {
  const requests = createBoundedQueue<R>(1 << 20, () => new Error("test terminal backlog"));
  requests.push(first);
  const responses = open(requests)[Symbol.asyncIterator]();
  let seen = "";
  let end: Promise<ConnectError | undefined> | undefined;
  const next = () => responses.next();
  return {
    send: (r) => requests.push(r),
    async until(pattern) {
      while (!pattern.test(seen)) {
        const n = await next();
        if (n.done)
          throw new Error(`console ended before ${pattern}; output so far: ${JSON.stringify(seen)}`);
        seen += decoder.decode(n.value.output);
      }
      return seen;
    },
    ended() {
      end ??= (async () => {
        try {
          for (let n = await next(); !n.done; n = await next()) seen += decoder.decode(n.value.output);
          return undefined;
        } catch (err) {
          return ConnectError.from(err);
        } finally {
          // Like the CLI, stop sending once the console ended.
          requests.end();
        }
      })();
      return end;
    },
    hangUp: () => requests.end(),
  };
}

type UserRequest = MessageInitShape<typeof MachineServiceConsoleRequestSchema>;
type AdminRequest = MessageInitShape<typeof AdminConsoleRequestSchema>;
type AgentRequest = MessageInitShape<typeof AgentServiceConsolesRequestSchema>;

describe("serial console through the agent", () => {
  let server: TestServer;
  let alice: TestProject;
  let pool: Awaited<ReturnType<typeof startTestPool>>;
  let machineId: string;
  let tokens: Record<string, string>;
  const userConsole = (user: string, first: UserRequest) =>
    terminal((r) => h2Client(server, MachineService, tokens[user]!).console(r), first);
  const adminConsole = (user: string, first: AdminRequest) =>
    terminal((r) => h2Client(server, AdminMachineService, tokens[user]!).console(r), first);
  const type = (text: string) => ({ project: alice.projectId, uuid: machineId, input: encoder.encode(text) });

  beforeAll(async () => {
    server = await startTestServer();
    await seedTestCatalog(server.ctx);
    alice = await createTestProject(server.ctx, "con-alice");
    await addProjectViewer(server.ctx, alice.projectId, "con-carol");
    await createTestProject(server.ctx, "con-eve");
    await ensureUser(server.ctx, { id: "con-ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    await ensureUser(server.ctx, { id: "con-auditor", name: "a", email: "", adminRole: AdminRole.VIEWER });
    tokens = {};
    for (const user of ["con-alice", "con-carol", "con-eve", "con-ops", "con-auditor"]) {
      tokens[user] = (await server.ctx.tokens.issueUserSession(user)).accessToken;
    }
    pool = await startTestPool(server, { count: 2, racks: ["r1"], prefix: "con", sizes: [SIZES[0]!] });
    const asAlice = await clientsForUser(server, "con-alice");
    const { machine } = await asAlice.machine.create({
      project: alice.projectId,
      name: "web-1",
      hostname: "web-1",
      partition: PARTITION,
      size: SIZES[0]!,
      image: IMAGE,
      networks: [{ network: alice.networkId }, { network: INTERNET }],
    });
    machineId = machine!.uuid;
    // The login prompt shows the hostname once the simulator has played the install.
    await eventually(async () => {
      const { machine: m } = await asAlice.machine.get({ project: alice.projectId, uuid: machineId });
      return m?.status?.lastEvent === 7 ? true : undefined;
    }, "the install");
  });
  afterAll(async () => {
    await pool?.stop();
    await server?.close();
  });

  it("shows a project editor the boot messages and a login prompt that echoes the name, not the password", async () => {
    const t = userConsole("con-alice", {
      project: alice.projectId,
      uuid: machineId,
      windowSize: { columns: 120, rows: 40 },
    });
    const boot = await t.until(/web-1 login: $/);
    expect(boot).toContain("Linux version");
    t.send(type("root"));
    await t.until(/login: root$/);
    t.send(type("\r"));
    await t.until(/Password: $/);
    t.send(type("hunter2\r"));
    const after = await t.until(/Login incorrect\r\nweb-1 login: $/);
    expect(after).not.toContain("hunter2");
    t.hangUp();
    expect(await t.ended()).toBeUndefined();
  });

  it("audits the console like every call, never the keystrokes", async () => {
    const rows = await eventually(async () => {
      const found = await server.ctx.db.kysely
        .selectFrom("audit_log")
        .selectAll()
        .where("method", "=", "/metalstack.api.v2.MachineService/Console")
        .execute();
      // The row is stored as pending before the call runs; its outcome is written in a later batch.
      return found.length > 0 && found.every((r) => r.code !== "pending") ? found : undefined;
    }, "the console's audit row with its outcome");
    expect(rows[0]).toMatchObject({
      user_id: "con-alice",
      project: alice.projectId,
      code: "ok",
      request: "{}",
    });
    const all = JSON.stringify(await server.ctx.db.kysely.selectFrom("audit_log").selectAll().execute());
    expect(all).not.toContain("hunter2");
  });

  it("refuses viewers, other projects and machines outside the project", async () => {
    const first = { project: alice.projectId, uuid: machineId };
    expect((await userConsole("con-carol", first).ended())?.code).toBe(Code.PermissionDenied);
    expect((await userConsole("con-eve", first).ended())?.code).toBe(Code.PermissionDenied);
    const other = userConsole("con-alice", {
      project: alice.projectId,
      uuid: pool.ids.find((id) => id !== machineId)!,
    });
    expect((await other.ended())?.code).toBe(Code.NotFound);
    expect((await adminConsole("con-auditor", { uuid: machineId }).ended())?.code).toBe(
      Code.PermissionDenied,
    );
  });

  it("ends a stream whose later message names another machine", async () => {
    const t = userConsole("con-alice", { project: alice.projectId, uuid: machineId });
    await t.until(/login: $/);
    t.send({
      project: alice.projectId,
      uuid: pool.ids.find((id) => id !== machineId)!,
      input: encoder.encode("x"),
    });
    const err = await t.ended();
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.rawMessage).toMatch(/must name the machine the first one named/);
  });

  it("lets operators attach to any machine, free ones included", async () => {
    const free = pool.ids.find((id) => id !== machineId)!;
    const t = adminConsole("con-ops", { uuid: free });
    expect(await t.until(/login: $/)).toContain(`machine-${free.slice(0, 8)} login: `);
    t.hangUp();
    expect(await t.ended()).toBeUndefined();
  });

  it("passes sessions, keystrokes, window sizes and closes to the partition's newest agent", async () => {
    const agentClient = h2Client(server, AgentService, await agentToken(server.ctx, "con-agent"));
    const outbox = createBoundedQueue<AgentRequest>(1 << 20, () => new Error("agent backlog"));
    outbox.push({ partition: PARTITION });
    const commands = agentClient.consoles(outbox)[Symbol.asyncIterator]();
    const command = async (): Promise<AgentServiceConsolesResponse> => (await commands.next()).value;
    expect((await command()).session).toBe("");
    const t = userConsole("con-alice", {
      project: alice.projectId,
      uuid: machineId,
      windowSize: { columns: 100, rows: 30 },
    });
    const opened = await command();
    expect(opened).toMatchObject({ machine: machineId, windowSize: { columns: 100, rows: 30 } });
    const session = opened.session;
    t.send({ project: alice.projectId, uuid: machineId, windowSize: { columns: 132, rows: 50 } });
    expect(await command()).toMatchObject({ session, windowSize: { columns: 132, rows: 50 } });
    t.send(type("ls\r"));
    expect(decoder.decode((await command()).input)).toBe("ls\r");
    outbox.push({ session, output: encoder.encode("hello from the agent\r\n") });
    await t.until(/hello from the agent/);
    outbox.push({ session, closed: true });
    expect(await t.ended()).toBeUndefined();

    const second = userConsole("con-alice", { project: alice.projectId, uuid: machineId });
    const next = await command();
    second.hangUp();
    expect(await command()).toMatchObject({ session: next.session, closed: true });

    const third = userConsole("con-alice", { project: alice.projectId, uuid: machineId });
    await command();
    outbox.end();
    const gone = await third.ended();
    expect(gone?.code).toBe(Code.Unavailable);
    expect(gone?.rawMessage).toMatch(/agent of partition test-p1 went away/);
    // Sessions go back to the simulator's agent.
    const back = userConsole("con-alice", { project: alice.projectId, uuid: machineId });
    await back.until(/web-1 login: $/);
    back.hangUp();
  });

  it("is unavailable while no agent serves the machine's partition", async () => {
    await createPartition(server.ctx.db.kysely, { id: "test-p2", description: "no agent", labels: {} });
    const [m] = demoMachines(
      "test-p2",
      [await getSize(server.ctx.db.kysely, SIZES[0]!)],
      ["r1"],
      1,
      "con-p2",
    );
    const agent = h2Client(server, AgentService, await agentToken(server.ctx, "con-agent-2"));
    await agent.register({ ...m!, bmc: m!.bmc });
    const err = await adminConsole("con-ops", { uuid: m!.uuid }).ended();
    expect(err?.code).toBe(Code.Unavailable);
    expect(err?.rawMessage).toMatch(/no agent serves the consoles of partition test-p2/);
  });

  it("refuses bad window sizes and an agent stream without a partition", async () => {
    const t = userConsole("con-alice", {
      project: alice.projectId,
      uuid: machineId,
      windowSize: { columns: 0, rows: 24 },
    });
    const err = await t.ended();
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.rawMessage).toMatch(/window_size\.columns: must be 1-4096, got 0/);
    const agent = h2Client(server, AgentService, await agentToken(server.ctx, "con-agent-3"));
    const silent = agent.consoles(
      (async function* () {
        yield { session: "x" };
      })(),
    );
    await expect(
      (async () => {
        for await (const _ of silent) break;
      })(),
    ).rejects.toMatchObject({ code: Code.InvalidArgument });
  });
});
