import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readCache } from "../../../src/cli/completion/cache.js";
import type { Prompter } from "../../../src/cli/prompter.js";
import { ip as ipResource } from "../../../src/cli/resources/ip.js";
import { type IP, IPSchema, IPService, IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

const API = "http://127.0.0.1:1";
const NOW = new Date("2026-11-20T12:00:00Z");
const web = create(IPSchema, {
  id: "33333333-3333-4333-8333-333333333333",
  ip: "203.0.113.7",
  name: "web",
  project: "11111111-1111-4111-8111-111111111111",
  network: "internet",
  type: IPType.IP_TYPE_STATIC,
  meta: { createdAt: timestampFromDate(new Date("2026-11-18T12:00:00Z")) },
});

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-ip-"));
  env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    METALCTL_API_URL: API,
    METALCTL_PROJECT: "11111111-1111-4111-8111-111111111111",
  };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

/** api serves one IP and answers everything else about other IDs with NotFound. */
function api() {
  const byId = (id: string): IP => {
    if (id !== web.id) throw new ConnectError(`ip ${id} not found`, Code.NotFound);
    return web;
  };
  return fakeApi((router) => {
    router.service(NetworkService, {
      list: () => ({ networks: [{ id: "internet", name: "internet", type: NetworkType.EXTERNAL }] }),
    });
    router.service(IPService, {
      list: (req) => ({ ips: req.name && req.name !== web.name ? [] : [web] }),
      get: (req) => ({ ip: byId(req.id) }),
      create: (req) => ({ ip: create(IPSchema, { ...web, name: req.name, network: req.network }) }),
      delete: (req) => ({ ip: byId(req.id) }),
      update: (req) => ({ ip: create(IPSchema, { ...byId(req.id), name: req.name ?? web.name }) }),
    });
  });
}

describe("ip commands on the verb bases, run in-process", () => {
  it("lists through the view, plain in a pipe and with a bold header on a terminal", async () => {
    const { transport, calls } = api();
    const piped = await runCommand(["ip", "list"], { env, transport, now: NOW });
    expect(piped).toMatchObject({ code: 0, stderr: "" });
    expect(piped.stdout).toBe(
      "ID                                     IP            NAME   NETWORK    TYPE     MACHINE\n33333333-3333-4333-8333-333333333333   203.0.113.7   web    internet   Static\n",
    );
    expect(calls).toEqual([
      {
        method: "IPService/List",
        request: expect.objectContaining({
          project: "11111111-1111-4111-8111-111111111111",
          paging: expect.anything(),
        }),
      },
    ]);
    const terminal = await runCommand(["ip", "list"], { env, transport, now: NOW, terminal: true });
    expect(terminal.stdout).toBe(
      `\x1b[1m${piped.stdout.split("\n")[0]}\x1b[0m\n${piped.stdout.split("\n")[1]}\n`,
    );
  });

  it("remembers a full list for completion, but not a filtered one", async () => {
    const { transport } = api();
    const scope = { apiUrl: API, project: "11111111-1111-4111-8111-111111111111" };
    await runCommand(["ip", "list", "--name", "web"], { env, transport });
    expect(readCache(env, scope, ipResource.ref)).toBeUndefined();
    await runCommand(["ip", "list"], { env, transport });
    expect(readCache(env, scope, ipResource.ref)?.candidates).toEqual([
      { value: "33333333-3333-4333-8333-333333333333", description: "203.0.113.7 web" },
    ]);
  });

  it("describes one address as JSON, and maps NotFound to exit code 5", async () => {
    const { transport, calls } = api();
    const res = await runCommand(["ip", "describe", "33333333-3333-4333-8333-333333333333", "-o", "json"], {
      env,
      transport,
    });
    expect(JSON.parse(res.stdout)).toMatchObject({
      id: "33333333-3333-4333-8333-333333333333",
      ip: "203.0.113.7",
      type: "IP_TYPE_STATIC",
    });
    expect(calls[0]?.request).toMatchObject({
      project: "11111111-1111-4111-8111-111111111111",
      id: "33333333-3333-4333-8333-333333333333",
    });
    const missing = await runCommand(["ip", "describe", "33333333-3333-4333-8333-999999999999"], {
      env,
      transport,
    });
    expect(missing).toMatchObject({ code: 5, stdout: "" });
    expect(missing.stderr).toMatch(/^Error: .*ip 33333333-3333-4333-8333-999999999999 not found/);
  });

  it("creates from flags with the project, notes it on stderr, and names a missing flag", async () => {
    const { transport, calls } = api();
    const res = await runCommand(["ip", "create", "--network", "internet", "--name", "db", "-o", "yaml"], {
      env,
      transport,
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^id: 33333333-3333-4333-8333-333333333333\n/m);
    expect(res.stderr).toBe("Acquired 203.0.113.7 (33333333-3333-4333-8333-333333333333).\n");
    expect(calls.map((c) => c.method)).toEqual(["NetworkService/List", "IPService/Create"]);
    expect(calls[1]?.request).toMatchObject({
      project: "11111111-1111-4111-8111-111111111111",
      network: "internet",
      name: "db",
    });
    const missing = await runCommand(["ip", "create", "--name", "db"], { env, transport });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "Error: ip create: missing --network — pass the flags, or run in a terminal to be asked\n",
    );
  });

  it("asks for the network on a terminal", async () => {
    const { transport, calls } = api();
    const asked: string[] = [];
    const prompter: Prompter = {
      async pick(message, choices) {
        asked.push(`${message}: ${choices.map((c) => `${c.name} (${c.description})`).join(",")}`);
        return choices[0]!.value;
      },
      confirm: async () => true,
      input: async () => "unused",
    };
    const res = await runCommand(["ip", "create", "--name", "db"], {
      env,
      transport,
      prompter,
      terminal: true,
    });
    expect(res.code, res.stderr).toBe(0);
    expect(asked).toEqual(["Network: internet (internet )"]);
    expect(calls.at(-1)).toMatchObject({
      method: "IPService/Create",
      request: { network: "internet", name: "db" },
    });
  });

  it("asks before releasing on a terminal and refuses without one unless --yes", async () => {
    const { transport, calls } = api();
    const piped = await runCommand(["ip", "delete", "33333333-3333-4333-8333-333333333333"], {
      env,
      transport,
    });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain(
      "refusing to release IP 33333333-3333-4333-8333-333333333333 of project 11111111-1111-4111-8111-111111111111 without confirmation",
    );
    expect(calls).toEqual([]);
    const questions: string[] = [];
    const no: Prompter = {
      confirm: async (q) => {
        questions.push(q);
        return false;
      },
      pick: async () => {
        throw new Error("no pick expected");
      },
      input: async () => {
        throw new Error("no input expected");
      },
    };
    const declined = await runCommand(["ip", "delete", "33333333-3333-4333-8333-333333333333"], {
      env,
      transport,
      terminal: true,
      prompter: no,
    });
    expect(questions).toEqual([
      "Release IP 203.0.113.7 (33333333-3333-4333-8333-333333333333) of project 11111111-1111-4111-8111-111111111111?",
    ]);
    expect(declined).toMatchObject({ code: 1, stderr: "Error: aborted\n" });
    const yes = await runCommand(["ip", "delete", "33333333-3333-4333-8333-333333333333", "--yes"], {
      env,
      transport,
    });
    expect(yes.code).toBe(0);
    expect(yes.stderr).toBe("Released 203.0.113.7.\n");
    // Only the question read the IP (for its address); --yes deletes without reading it.
    expect(calls.map((c) => c.method)).toEqual(["IPService/Get", "IPService/Delete"]);
  });

  it("needs a project, and says how to choose one", async () => {
    const { transport, calls } = api();
    const res = await runCommand(["ip", "list"], { env: { ...env, METALCTL_PROJECT: "" }, transport });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("no project selected — run `metalctl project set <id>` or pass --project");
    expect(calls).toEqual([]);
  });
});
