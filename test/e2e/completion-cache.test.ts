// The built CLI's TAB against a real server: a stale cache entry is answered at once and refreshed in
// the background, and the cache never mixes the values of two contexts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheFile, readCache, writeCache } from "../../src/cli/completion/cache.js";
import { STALE_AFTER_MS } from "../../src/cli/completion/main.js";
import { configDir, createConfigStore } from "../../src/cli/config/store.js";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

const projects = { kind: "project", scope: "server" } as const;
const machines = { kind: "machine", scope: "project" } as const;

let server: TestServer;
let token: string;
let projectId: string;
let home: string;

beforeAll(async () => {
  server = await startTestServer();
  await ensureUser(server.ctx, { id: "tabber", name: "Tabber", email: "" });
  const project = await createProject(server.ctx, "tabber", "tabber", {
    name: "tab-project",
    description: "",
    labels: {},
  });
  projectId = project.id;
  ({ accessToken: token } = await server.ctx.tokens.issueUserSession("tabber"));
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-tab-cache-"));
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

function homeEnv(name: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = path.join(home, name);
  return {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, "config"),
    XDG_CACHE_HOME: path.join(dir, "cache"),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, "no-bus")}`,
    ...extra,
  };
}

async function tab(words: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const res = await runCli(["__complete", ...words], env);
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return res.stdout;
}

describe("the completion cache of the built CLI", () => {
  it("answers a stale entry at once and refreshes it from the server in the background", async () => {
    const apiUrl = server.url.replace(/\/+$/, "");
    const env = homeEnv("stale", { METALCTL_API_URL: apiUrl, METALCTL_API_TOKEN: token });
    const old = Date.now() - 2 * STALE_AFTER_MS;
    writeCache(env, { apiUrl }, projects, [{ value: "gone-project", description: "deleted" }], old);
    const file = cacheFile(env, { apiUrl }, projects)!;
    fs.utimesSync(file, new Date(old), new Date(old));

    expect(await tab(["project", "describe", ""], env)).toBe("gone-project\tdeleted\n");
    const deadline = Date.now() + 30_000;
    while (readCache(env, { apiUrl }, projects)?.candidates[0]?.value === "gone-project") {
      if (Date.now() > deadline) throw new Error("the stale cache entry was not refreshed");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(readCache(env, { apiUrl }, projects)!.at).toBeGreaterThan(old);
    expect(await tab(["project", "describe", ""], env)).toBe(`${projectId}\ttab-project\n`);
  }, 60_000);

  it("does not refresh a fresh entry: a TAB answers from it without the server", async () => {
    const env = homeEnv("fresh", { METALCTL_API_URL: "http://127.0.0.1:1", METALCTL_API_TOKEN: token });
    writeCache(env, { apiUrl: "http://127.0.0.1:1" }, projects, [{ value: "p-cached" }]);
    expect(await tab(["project", "describe", ""], env)).toBe("p-cached\n");
  }, 60_000);

  it("after a context switch offers the new context's IDs, never the old one's", async () => {
    const env = homeEnv("contexts", { METALCTL_API_TOKEN: token });
    createConfigStore(configDir(env)).save({
      current: "a",
      contexts: [
        { name: "a", apiUrl: "http://127.0.0.1:1", defaultProject: "p-a" },
        { name: "b", apiUrl: "http://127.0.0.1:2", defaultProject: "p-b" },
      ],
    });
    writeCache(env, { apiUrl: "http://127.0.0.1:1", project: "p-a" }, machines, [{ value: "m-of-a" }]);
    writeCache(env, { apiUrl: "http://127.0.0.1:2", project: "p-b" }, machines, [{ value: "m-of-b" }]);

    expect(await tab(["machine", "describe", ""], env)).toBe("m-of-a\n");
    const use = await runCli(["context", "use", "b"], env);
    expect(use.code).toBe(0);
    expect(await tab(["machine", "describe", ""], env)).toBe("m-of-b\n");
    expect(await tab(["machine", "delete", "--context", "a", ""], env)).toBe("m-of-a\n");
    // The same server with another project is another cache entry: none here, and the server is down.
    expect(await tab(["machine", "describe", "--project", "p-a", ""], env)).toBe("");
  }, 60_000);

  it("reuses the target found in config.yaml until the file changes, even by an edit of the same size", async () => {
    const env = homeEnv("memo", { METALCTL_API_TOKEN: token });
    const store = createConfigStore(configDir(env));
    store.save({
      current: "a",
      contexts: [{ name: "a", apiUrl: "http://127.0.0.1:1", defaultProject: "p-a" }],
    });
    for (const p of ["p-a", "p-b", "p-memo"]) {
      writeCache(env, { apiUrl: "http://127.0.0.1:1", project: p }, machines, [{ value: `m-of-${p}` }]);
    }
    expect(await tab(["machine", "describe", ""], env)).toBe("m-of-p-a\n");

    // While config.yaml is unchanged, a TAB takes the target from the memo, not from the file.
    const memoFile = path.join(env.XDG_CACHE_HOME!, "metalctl", "targets.json");
    const memo = JSON.parse(fs.readFileSync(memoFile, "utf8"));
    for (const t of Object.values(memo.targets) as { project: string }[]) t.project = "p-memo";
    fs.writeFileSync(memoFile, JSON.stringify(memo));
    expect(await tab(["machine", "describe", ""], env)).toBe("m-of-p-memo\n");

    // An edit in place (same inode, same size) is a new version of the file.
    fs.writeFileSync(store.path, fs.readFileSync(store.path, "utf8").replace("p-a", "p-b"));
    expect(await tab(["machine", "describe", ""], env)).toBe("m-of-p-b\n");
  }, 60_000);
});
