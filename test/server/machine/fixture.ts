import { create, type DescService } from "@bufbuild/protobuf";
import { type Client, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { MachineService as AdminMachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { AdminRole, ProjectRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { FilesystemLayoutConstraintsSchema } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";
import { ImageClassification, ImageFeature } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import {
  MachineProvisioningEventType as Ev,
  type Machine,
  MachineService,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { ChildPrefixLengthSchema, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { SizeConstraintSchema, SizeConstraintType } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { AgentService } from "../../../src/gen/metalstack/infra/v2/agent_pb.js";
import { createFilesystemLayout } from "../../../src/server/catalog/filesystem-layouts.js";
import { createImage } from "../../../src/server/catalog/images.js";
import { createPartition } from "../../../src/server/catalog/partitions.js";
import { createSize, getSize } from "../../../src/server/catalog/sizes.js";
import type { AppContext } from "../../../src/server/context.js";
import { demoMachines } from "../../../src/server/dev/demo-machines.js";
import { type Simulator, startSimulator } from "../../../src/server/dev/simulator.js";
import { allocateChildNetwork, createBaseNetwork } from "../../../src/server/ipam/networks.js";
import { createProject } from "../../../src/server/tenancy/projects.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import type { TestServer } from "../../helpers/start-server.js";

/** PARTITION, SIZES and IMAGE are the catalog the machine tests allocate from. */
export const PARTITION = "test-p1";
export const SIZES = ["t1-small", "t1-large"];
export const IMAGE = "ubuntu-24.04.20250101";
export const INTERNET = "internet";

const GiB = 1024n ** 3n;

/** seedTestCatalog creates one partition, two sizes, a machine image, a layout, a super and an external network. */
export async function seedTestCatalog(ctx: AppContext): Promise<void> {
  const db = ctx.db.kysely;
  await createPartition(db, { id: PARTITION, description: "test partition", labels: {} });
  for (const [i, id] of SIZES.entries()) {
    await createSize(db, {
      id,
      name: id,
      description: "",
      labels: {},
      constraints: [
        create(SizeConstraintSchema, {
          type: SizeConstraintType.CORES,
          min: BigInt(4 << i),
          max: BigInt(4 << i),
        }),
        create(SizeConstraintSchema, { type: SizeConstraintType.MEMORY, min: 16n * GiB, max: 1024n * GiB }),
      ],
    });
  }
  await createImage(db, "", {
    id: IMAGE,
    name: "Ubuntu 24.04",
    description: "",
    url: "https://images.example.com/ubuntu-24.04.tar.lz4",
    features: [ImageFeature.MACHINE],
    classification: ImageClassification.SUPPORTED,
    labels: {},
  });
  await createFilesystemLayout(db, "", {
    id: "default",
    name: "default",
    description: "",
    filesystems: [],
    disks: [],
    constraints: create(FilesystemLayoutConstraintsSchema, { sizes: ["*"], images: { ubuntu: "*" } }),
    labels: {},
  });
  await createBaseNetwork(db, {
    id: "tenant-super",
    type: NetworkType.SUPER,
    partition: PARTITION,
    name: "tenant super network",
    description: "",
    prefixes: ["10.64.0.0/16"],
    destinationPrefixes: [],
    defaultChildPrefixLength: create(ChildPrefixLengthSchema, { ipv4: 24 }),
    vrf: 0,
    nat: false,
    labels: {},
  });
  await createBaseNetwork(db, {
    id: INTERNET,
    type: NetworkType.EXTERNAL,
    partition: "",
    name: "internet",
    description: "",
    prefixes: ["203.0.113.0/24"],
    destinationPrefixes: ["0.0.0.0/0"],
    vrf: 0,
    nat: true,
    labels: {},
  });
}

/** TestProject is a user with a project and a child network in the test partition. */
export interface TestProject {
  userId: string;
  projectId: string;
  networkId: string;
}

/** createTestProject creates a user, a project it owns and a child network in it. */
export async function createTestProject(ctx: AppContext, userId: string): Promise<TestProject> {
  await ensureUser(ctx, { id: userId, name: userId, email: `${userId}@example.com` });
  const project = await createProject(ctx, userId, userId, {
    name: `${userId}-project`,
    description: "",
    labels: {},
  });
  const network = await allocateChildNetwork(ctx.db.kysely, {
    project: project.id,
    partition: PARTITION,
    name: `${userId}-net`,
  });
  return { userId, projectId: project.id, networkId: network.id };
}

/** addProjectViewer creates the user `userId` and makes it a viewer of `projectId`. */
export async function addProjectViewer(ctx: AppContext, projectId: string, userId: string): Promise<void> {
  await ensureUser(ctx, { id: userId, name: userId, email: `${userId}@example.com` });
  await ctx.db.kysely
    .insertInto("project_members")
    .values({
      project_id: projectId,
      user_id: userId,
      role: ProjectRole.VIEWER,
      created_at: new Date().toISOString(),
    })
    .execute();
}

function bearer(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}

/** Clients are the API clients of one caller, over HTTP with that caller's real token. */
export interface Clients {
  machine: Client<typeof MachineService>;
  adminMachine: Client<typeof AdminMachineService>;
  agent: Client<typeof AgentService>;
  project: Client<typeof ProjectService>;
}

function transportWithToken(server: TestServer, token: string): Transport {
  return createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: [bearer(token)],
  });
}

/** clientsWithToken builds clients that send `token`. */
export function clientsWithToken(server: TestServer, token: string): Clients {
  const transport = transportWithToken(server, token);
  return {
    machine: createClient(MachineService, transport),
    adminMachine: createClient(AdminMachineService, transport),
    agent: createClient(AgentService, transport),
    project: createClient(ProjectService, transport),
  };
}

/** clientsForUser logs the user in (a real user session) and returns its clients. */
export async function clientsForUser(server: TestServer, userId: string): Promise<Clients> {
  const session = await server.ctx.tokens.issueUserSession(userId);
  return clientsWithToken(server, session.accessToken);
}

/** serviceClientForUser logs the user in (a real user session) and returns its client of one service. */
export async function serviceClientForUser<T extends DescService>(
  server: TestServer,
  service: T,
  userId: string,
): Promise<Client<T>> {
  const session = await server.ctx.tokens.issueUserSession(userId);
  return createClient(service, transportWithToken(server, session.accessToken));
}

/** eventually polls `fn` until it returns a value, and fails naming `what` when it never does. */
export async function eventually<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** reclaimed waits until an operator sees the freed machine `uuid` back in Waiting, and returns it. */
export function reclaimed(asOps: Clients, uuid: string): Promise<Machine> {
  return eventually(async () => {
    const { machine: m } = await asOps.adminMachine.get({ uuid });
    return m?.status?.lastEvent === Ev.WAITING ? m : undefined;
  }, "reclaim back to Waiting");
}

/** agentToken mints what the dev seed mints: an API token of an admin-editor service user for the agent methods only. */
export async function agentToken(ctx: AppContext, userId = "test-agent"): Promise<string> {
  await ensureUser(ctx, { id: userId, name: userId, email: "", adminRole: AdminRole.EDITOR });
  const { secret } = await ctx.tokens.issueApiToken({
    userId,
    description: "test agent",
    permissions: [
      {
        subject: "*",
        methods: AgentService.methods.map((m) => `/${AgentService.typeName}/${m.name}`),
      },
    ],
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return secret;
}

/**
 * startTestPool starts a fast simulator with its own agent token and boots `count` machines
 * round-robin over `racks` and the test sizes into the waiting pool.
 */
export async function startTestPool(
  server: TestServer,
  opts: { count: number; racks: string[]; prefix: string; sizes?: string[] },
): Promise<{ simulator: Simulator; ids: string[]; stop: () => Promise<void> }> {
  const abort = new AbortController();
  const stopOnClose = () => abort.abort();
  server.ctx.shutdown.addEventListener("abort", stopOnClose);
  const simulator = startSimulator({
    baseUrl: server.url,
    token: await agentToken(server.ctx),
    stepDelayMs: 5,
    heartbeatMs: 60_000,
    pollMs: 20,
    signal: abort.signal,
    log: server.ctx.log,
  });
  const sizes = await Promise.all((opts.sizes ?? SIZES).map((id) => getSize(server.ctx.db.kysely, id)));
  const machines = demoMachines(PARTITION, sizes, opts.racks, opts.count, opts.prefix);
  await Promise.all(machines.map((m) => simulator.addMachine(m)));
  return {
    simulator,
    ids: machines.map((m) => m.uuid),
    stop: async () => {
      abort.abort();
      await simulator.stopped;
    },
  };
}

/** DrivenMachine is a machine allocated in a project whose agent the test plays itself. */
export interface DrivenMachine {
  uuid: string;
  /** report records an event as the machine's agent. */
  report(event: Ev): Promise<void>;
}

/**
 * allocateDrivenMachine registers one machine as its agent, boots it into the waiting pool and lets
 * the project's owner allocate it; later events come only from `report`, so a test decides when.
 */
export async function allocateDrivenMachine(
  server: TestServer,
  project: TestProject,
  seed: string,
): Promise<DrivenMachine> {
  // The large size: pools in the same test mostly wait with small machines, which allocation would pick.
  const size = await getSize(server.ctx.db.kysely, SIZES[1] ?? "");
  const [m] = demoMachines(PARTITION, [size], ["r1"], 1, seed);
  if (!m) throw new Error("demoMachines made no machine");
  const agent = clientsWithToken(server, await agentToken(server.ctx)).agent;
  const report = async (event: Ev) => {
    await agent.reportEvent({ uuid: m.uuid, event, message: "" });
  };
  await agent.register(m);
  for (const e of [Ev.PXE_BOOTING, Ev.PREPARING, Ev.REGISTERING, Ev.WAITING]) await report(e);
  const owner = await clientsForUser(server, project.userId);
  const { machine } = await owner.machine.create({
    project: project.projectId,
    name: seed,
    partition: PARTITION,
    size: size.id,
    image: IMAGE,
    networks: [{ network: project.networkId }],
  });
  if (machine?.uuid !== m.uuid)
    throw new Error(`allocated ${machine?.uuid}, not the driven machine ${m.uuid}`);
  return { uuid: m.uuid, report };
}
