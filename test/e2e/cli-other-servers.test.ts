import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ProjectSchema, ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { type CliSandbox, createCliSandbox } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// Runs the BUILT CLI (npm run build) against a real API server and against other loopback servers.

/** A loopback HTTP server that answers every request 401 and records what it was sent. */
interface Recorder {
  url: string;
  requests: { url: string; authorization?: string; body: string }[];
  close(): Promise<void>;
}

async function startRecorder(): Promise<Recorder> {
  const requests: Recorder["requests"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      requests.push({ url: req.url ?? "", authorization: req.headers.authorization, body });
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: "unauthenticated", message: "who are you?" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let server: TestServer;
let other: Recorder;
let cli: CliSandbox;
let accessToken: string;

beforeAll(async () => {
  server = await startTestServer();
  other = await startRecorder();
  await ensureUser(server.ctx, { id: "alice", name: "Alice", email: "alice@example.com" });
  accessToken = (await server.ctx.tokens.issueUserSession("alice")).accessToken;
  cli = createCliSandbox();
  const login = await cli.run(["login", "--with-token", "--api-url", server.url, "--context", "lab"], {
    input: `${accessToken}\n`,
  });
  expect(login.code).toBe(0);
});

afterAll(async () => {
  cli?.cleanup();
  await other?.close();
  await server?.close();
});

const sentTo = (r: Recorder) => JSON.stringify(r.requests);

describe("stored credentials stay with the server that issued them", { timeout: 120_000 }, () => {
  it("uses them with the server they came from", async () => {
    const r = await cli.run(["whoami"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Alice");
  });

  it("sends nothing to another server named by --api-url, and says how to log in there", async () => {
    const r = await cli.run(["project", "list", "--api-url", other.url]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `the credentials of context "lab" were issued by ${server.url} and are not sent to ${other.url}`,
    );
    expect(r.stderr).toContain(`metalctl login --api-url ${other.url}`);
    expect(r.stderr).toContain("METALCTL_API_TOKEN");
    expect(other.requests).toEqual([]);
  });

  it("sends nothing to another server named by METALCTL_API_URL", async () => {
    const r = await cli.run(["project", "list"], { env: { METALCTL_API_URL: other.url } });
    expect(r.code).toBe(3);
    expect(other.requests).toEqual([]);
    const status = await cli.run(["auth", "token"], { env: { METALCTL_API_URL: other.url } });
    expect(status.code).toBe(3);
    expect(status.stdout).not.toContain(accessToken);
  });

  it("sends the token the caller chose in METALCTL_API_TOKEN, never the stored one", async () => {
    const r = await cli.run(["project", "list", "--api-url", other.url], {
      env: { METALCTL_API_TOKEN: "token-for-the-other-server" },
    });
    expect(r.code).toBe(3);
    expect(other.requests.map((q) => q.authorization)).toEqual(["Bearer token-for-the-other-server"]);
    expect(sentTo(other)).not.toContain(accessToken);
    other.requests.length = 0;
  });

  it("binds credentials stored before they named their server to the context's URL", async () => {
    const file = path.join(cli.configDir, "credentials.yaml");
    const stored = parse(fs.readFileSync(file, "utf8"));
    delete stored.lab.apiUrl;
    fs.writeFileSync(file, stringify(stored), { mode: 0o600 });
    expect((await cli.run(["project", "list", "--api-url", other.url])).code).toBe(3);
    expect((await cli.run(["whoami"])).code).toBe(0);
    // The first use with its own server writes the binding down, so a later move of the context cannot carry it off.
    expect(parse(fs.readFileSync(file, "utf8")).lab.apiUrl).toBe(server.url);
    expect(other.requests).toEqual([]);
  });

  it("sends nothing after the context is pointed at another server, and logs out where it logged in", async () => {
    const moved = await cli.run(["context", "update", "lab", "--api-url", other.url]);
    expect(moved.code).toBe(0);
    const r = await cli.run(["project", "list"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`issued by ${server.url}`);
    const out = await cli.run(["logout"]);
    expect(out.code).toBe(0);
    expect(other.requests).toEqual([]);
    // The revocation went to the issuing server: the token no longer works there.
    await expect(server.ctx.tokens.authenticate(accessToken)).rejects.toThrow();
  });
});

describe("a server that is not a metal-apiserver", { timeout: 60_000 }, () => {
  it("gets no token from login --with-token: login stops and names the server", async () => {
    other.requests.length = 0;
    const r = await cli.run(["login", "--with-token", "--api-url", other.url, "--context", "foreign"], {
      input: "secret-ci-token\n",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${other.url} is not a metal-apiserver`);
    expect(r.stderr).toContain("check --api-url");
    expect(other.requests.map((q) => q.url)).toEqual(["/.well-known/oauth-authorization-server"]);
    expect(JSON.stringify(other.requests)).not.toContain("secret-ci-token");
    expect((await cli.run(["context", "list", "--no-headers"])).stdout).not.toContain("foreign");
  });

  it("is not added as a context; a server that is down may be, with a note", async () => {
    const foreign = await cli.run(["context", "add", "foreign", "--api-url", other.url]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("is not a metal-apiserver");
    const down = await cli.run(["context", "add", "later", "--api-url", "http://127.0.0.1:9"]);
    expect(down.code).toBe(0);
    expect(down.stderr).toContain("did not answer");
    const ours = await cli.run(["context", "add", "ours", "--api-url", server.url]);
    expect(ours.code).toBe(0);
    expect(ours.stderr).not.toContain("did not answer");
    const list = (await cli.run(["context", "list", "--no-headers"])).stdout;
    expect(list).not.toContain("foreign");
    expect(list).toContain("later");
    expect(list).toContain("ours");
  });
});

describe("a server that drops the connection", { timeout: 60_000 }, () => {
  it("is reported as unavailable (exit 7) with the next step", async () => {
    const dropper = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => socket.resetAndDestroy());
    });
    await new Promise<void>((r) => dropper.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(dropper.address() as net.AddressInfo).port}`;
      const r = await cli.run(["project", "list", "--api-url", url], { env: { METALCTL_API_TOKEN: "t" } });
      expect(r.code).toBe(7);
      expect(r.stderr).toContain("the connection to the API server broke (ECONNRESET)");
      expect(r.stderr).toContain("retry");
    } finally {
      await new Promise((r) => dropper.close(r));
    }
  });
});

describe("a hostile server's control characters never reach the terminal", { timeout: 60_000 }, () => {
  // Sets the window title, clears the screen (7-bit and 8-bit CSI), rings the bell, NUL, DEL.
  const evil = "web\x1b]0;pwned\x07\x1b[2J\u009b2J\x00\x7f";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  let hostile: http.Server;
  let url: string;

  beforeAll(async () => {
    const project = create(ProjectSchema, {
      id: "00000000-0000-4000-8000-000000000001",
      tenant: evil,
      name: evil,
      description: evil,
    });
    hostile = http.createServer(
      connectNodeAdapter({
        routes: (router) =>
          router.service(ProjectService, {
            list: () => ({ projects: [project] }),
            get: (req) => {
              if (req.project === project.id) return { project };
              throw new ConnectError(`project ${evil} is gone`, Code.NotFound);
            },
          }),
      }),
    );
    await new Promise<void>((r) => hostile.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(hostile.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => hostile?.close(r));
  });

  const run = (args: string[]) => cli.run([...args, "--api-url", url], { env: { METALCTL_API_TOKEN: "t" } });

  for (const output of ["table", "wide", "markdown", "yaml", "json"]) {
    it(`project list -o ${output}`, async () => {
      const r = await run(["project", "list", "-o", output]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      if (output === "json") expect(JSON.parse(r.stdout)[0].name).toBe(evil);
      if (output === "yaml") expect(parse(r.stdout)[0].name).toBe(evil);
      if (output === "table") expect(r.stdout).toContain("web\\x1b]0;pwned\\x07");
    });
  }

  it("project describe and an error message from the server", async () => {
    const described = await run(["project", "describe", "00000000-0000-4000-8000-000000000001"]);
    expect(described.code).toBe(0);
    expect(described.stdout).not.toMatch(RAW_CONTROL);
    const failed = await run(["project", "describe", "00000000-0000-4000-8000-000000000002"]);
    expect(failed.code).toBe(5);
    expect(failed.stderr).toContain("project web\\x1b]0;pwned\\x07");
    expect(failed.stderr).not.toMatch(RAW_CONTROL);
  });
});
