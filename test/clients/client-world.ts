import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";
import { NetworkService, NetworkType } from "../../src/gen/metalstack/api/v2/network_pb.js";
import { DEMO_IMAGES, DEMO_PARTITION, DEMO_SIZES } from "../../src/server/dev/seed-catalog.js";
import { createProject } from "../../src/server/tenancy/projects.js";
import { bearerTransport, type DemoWorld, startDemoWorld } from "../e2e/cli-resources-harness.js";
import { cliEnv, ROOT, runCli } from "../helpers/cli.js";

/** RunResult is what a subprocess printed and its exit code. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** run starts a program without a shell and collects its output; the in-process server keeps serving. */
export function run(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: opts.env ?? process.env, cwd: opts.cwd ?? ROOT, timeout: 300_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * generateClients copies clients/ into a temporary root and runs the real generator there, so a
 * suite tests code generated from today's proto/ without touching the working tree.
 */
export async function generateClients(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "metal-clients-"));
  fs.cpSync(path.join(ROOT, "clients"), path.join(root, "clients"), {
    recursive: true,
    filter: (src) => !/(^|\/)(metalstack|__pycache__|build|[^/]*\.egg-info)$/.test(src),
  });
  const gen = await run(process.execPath, ["--import", "tsx", "clients/generate.ts", root]);
  if (gen.code !== 0) throw new Error(`clients/generate.ts failed (${gen.code}): ${gen.stderr}`);
  return root;
}

/** ClientWorld is a dev server with a machine in the demo project and a CI token made by the real CLI. */
export interface ClientWorld {
  url: string;
  project: string;
  /** A project of another user, which the CI token has no role in. */
  foreignProject: string;
  machineId: string;
  /** Secret of `metalctl token create --project-role PROJECT=viewer`. */
  ciToken: string;
  close(): Promise<void>;
}

/** startClientWorld boots the demo server, allocates a machine and mints the CI token with the built CLI. */
export async function startClientWorld(): Promise<ClientWorld> {
  const world: DemoWorld = await startDemoWorld();
  try {
    const { server, project, demoToken } = world;
    const foreignProject = (
      await createProject(server.ctx, "outsider", "outsider", { name: "other", description: "", labels: {} })
    ).id;
    const transport = bearerTransport(server.url, demoToken);
    const { networks } = await createClient(NetworkService, transport).list({
      project,
      type: NetworkType.CHILD,
    });
    const created = await createClient(MachineService, transport).create({
      project,
      name: "client-web",
      partition: DEMO_PARTITION,
      size: DEMO_SIZES[0],
      image: DEMO_IMAGES.ubuntu,
      networks: [{ network: networks[0]!.id }],
    });
    const minted = await runCli(
      ["token", "create", "--description", "ci", "--expires", "1h", "--project-role", `${project}=viewer`],
      cliEnv(world.home(), server.url, demoToken),
    );
    if (minted.code !== 0) throw new Error(`metalctl token create failed: ${minted.stderr}`);
    return {
      url: server.url,
      project,
      foreignProject,
      machineId: created.machine!.uuid,
      ciToken: minted.stdout.trim(),
      close: () => world.close(),
    };
  } catch (err) {
    await world.close();
    throw err;
  }
}

/** apiEnv is the environment a client script gets: the API URL and, when given, the token. */
export function apiEnv(base: NodeJS.ProcessEnv, url: string, token?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, METALCTL_API_URL: url };
  delete env.METALCTL_API_TOKEN;
  if (token) env.METALCTL_API_TOKEN = token;
  return env;
}

/** PACKAGE_VERSION is the version in package.json, which the clients' metadata must carry. */
export const PACKAGE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** ClientSuite is what a language's suite works with once its beforeAll has run. */
export interface ClientSuite {
  /** Temporary root with the generated clients/ (removed after the suite). */
  root: string;
  world: ClientWorld;
}

/**
 * useClientSuite generates the clients and starts the server before the suite's tests, then runs
 * `prepare` (build or install the client), and cleans both up afterwards.
 */
export function useClientSuite(prepare: (suite: ClientSuite) => Promise<void>): ClientSuite {
  const suite = {} as ClientSuite;
  beforeAll(async () => {
    [suite.root, suite.world] = await Promise.all([generateClients(), startClientWorld()]);
    await prepare(suite);
  }, 600_000);
  afterAll(async () => {
    await suite.world?.close();
    if (suite.root) fs.rmSync(suite.root, { recursive: true, force: true });
  });
  return suite;
}

/** RunExample runs one language's machines example (PROJECT [MACHINE_UUID]) with the given environment. */
export type RunExample = (args: string[], env: NodeJS.ProcessEnv) => Promise<RunResult>;

/** ExampleStatus says how one language's example prints the status of a failed call. */
export interface ExampleStatus {
  permissionDenied: RegExp;
  unauthenticated: RegExp;
  /** A TLS handshake with the plaintext test server. */
  tlsFailure: RegExp;
}

/** exampleTests defines what every language's machines example must do against the server. */
export function exampleTests(suite: ClientSuite, example: RunExample, status: ExampleStatus): void {
  it("lists the project's machines and gets one with a CI token from metalctl token create", async () => {
    const { world } = suite;
    const env = apiEnv(process.env, world.url, world.ciToken);
    const list = await example([world.project], env);
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${world.machineId}\tclient-web\tfra-equ01\tc1-small-x86\t`);

    const get = await example([world.project, world.machineId], env);
    expect(get.stderr).toBe("");
    expect(get.stdout.trim().split("\t")).toEqual([
      world.machineId,
      "client-web",
      "fra-equ01",
      "c1-small-x86",
      "ubuntu-24.04.20251120",
    ]);
  });

  it("is denied a foreign project, and unauthenticated without a token", async () => {
    const { world } = suite;
    const foreign = await example([world.foreignProject], apiEnv(process.env, world.url, world.ciToken));
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(status.permissionDenied);
    expect(foreign.stdout).toBe("");

    const anonymous = await example([world.project], apiEnv(process.env, world.url));
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(status.unauthenticated);
  });

  it("uses TLS when the URL has no scheme, so a plaintext server is unreachable", async () => {
    const { world } = suite;
    const host = new URL(world.url).host;
    const r = await example([world.project], apiEnv(process.env, host, world.ciToken));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(status.tlsFailure);
    expect(r.stderr).not.toContain(world.ciToken);
  });

  it("refuses to send the token over plain HTTP to a host that is not this one", async () => {
    const { world } = suite;
    const r = await example([world.project], apiEnv(process.env, "http://192.0.2.1:8080", world.ciToken));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("would send the token unencrypted to 192.0.2.1: use https://");
    expect(r.stderr).not.toContain(world.ciToken);
  });
}
