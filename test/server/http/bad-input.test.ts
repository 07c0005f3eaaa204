import { create, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  HealthService,
  HealthServiceGetRequestSchema,
} from "../../../src/gen/metalstack/api/v2/health_pb.js";
import { IPService } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { type Framing, rawRpc } from "../../helpers/raw-rpc.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

const GARBAGE = new Uint8Array([0xff, 0xff, 0xff]);
// Field 2 (IPServiceGetRequest.id), length 2, bytes that are not UTF-8.
const INVALID_UTF8 = new Uint8Array([0x12, 0x02, 0xc3, 0x28]);
const FRAMINGS: Framing[] = ["connect-proto", "grpc", "grpc-web"];

let server: TestServer;
let token: string;
let project: string;

/** call sends a Connect JSON request whose body is exactly `body` (so it can hold what clients would not send). */
async function call(path: string, body: string | Uint8Array, auth = true) {
  const res = await fetch(`${server.url}/metalstack.${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, ...((await res.json()) as { code?: string; message?: string }) };
}

beforeAll(async () => {
  server = await startTestServer();
  await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
  token = (await server.ctx.tokens.issueUserSession("ops")).accessToken;
  const created = await call("api.v2.ProjectService/Create", JSON.stringify({ tenant: "ops", name: "p" }));
  expect(created.status).toBe(200);
  project = (created as unknown as { project: { id: string } }).project.id;
});
afterAll(async () => {
  await server?.close();
});

describe("undecodable request bodies are the client's fault", () => {
  const get = HealthService.method.get;
  it.each(
    FRAMINGS,
  )("%s: garbage protobuf answers invalid_argument naming the request type, without a token", async (framing) => {
    const answer = await rawRpc(server.url, get, framing, GARBAGE);
    expect(answer.code).toBe(Code.InvalidArgument);
    expect(answer.message).toContain("metalstack.api.v2.HealthServiceGetRequest");
    expect(answer.text).not.toMatch(/\n\s+at /);
  });

  it.each(FRAMINGS)("%s: a valid body still answers ok", async (framing) => {
    const answer = await rawRpc(
      server.url,
      get,
      framing,
      toBinary(HealthServiceGetRequestSchema, create(HealthServiceGetRequestSchema)),
    );
    expect(answer.code).toBe("ok");
  });

  it.each(FRAMINGS)("%s: invalid UTF-8 in a binary string field is invalid_argument", async (framing) => {
    const answer = await rawRpc(server.url, IPService.method.get, framing, INVALID_UTF8, { token });
    expect(answer.code).toBe(Code.InvalidArgument);
  });

  it("a Connect server stream with a garbage message ends with invalid_argument", async () => {
    const answer = await rawRpc(server.url, MachineService.method.watch, "connect-proto", GARBAGE, { token });
    expect(answer.code).toBe(Code.InvalidArgument);
    expect(answer.message).toContain("MachineServiceWatchRequest");
  });
});

describe("login endpoints refuse malformed JSON as invalid_request", () => {
  it.each([
    ["/auth/token", "null"],
    ["/auth/token", "{bad"],
    ["/auth/token", "[1]"],
    ["/auth/revoke", "null"],
    ["/auth/revoke", '"text"'],
    ["/auth/device/code", "null"],
    ["/auth/device/code", "{"],
  ])("%s with %s answers 400", async (path, body) => {
    const res = await fetch(server.url + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("a well-formed JSON request still reaches the endpoint", async () => {
    const res = await fetch(`${server.url}/auth/device/code`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: "someone-else" }),
    });
    expect(res.status).toBe(401);
  });
});

describe("addresses, enums and text", () => {
  it.each([
    "fe80::1%eth0",
    "10.0.0.1%1",
    "::ffff:1.2.3.4%lo",
    "1.2.3",
    "10.0.0.0/8",
  ])("IPService/Get with id %s is invalid_argument", async (id) => {
    const answer = await call("api.v2.IPService/Get", JSON.stringify({ project, id }));
    expect([answer.status, answer.code]).toEqual([400, "invalid_argument"]);
  });

  it("a CIDR with a zone is refused in a network and in a firewall rule", async () => {
    const network = await call(
      "admin.v2.NetworkService/Create",
      JSON.stringify({ id: "zoned", prefixes: ["fe80::%eth0/64"], type: "NETWORK_TYPE_EXTERNAL" }),
    );
    expect(network.code).toBe("invalid_argument");
  });

  it("an unknown enum number in a list filter is invalid_argument, a known one is accepted", async () => {
    const bad = await call("api.v2.MachineService/List", JSON.stringify({ project, query: { state: 99 } }));
    expect([bad.code, bad.message]).toEqual([
      "invalid_argument",
      expect.stringContaining("query.state: unknown value 99"),
    ]);
    const good = await call("api.v2.MachineService/List", JSON.stringify({ project, query: { state: 1 } }));
    expect(good.status).toBe(200);
  });

  it("invalid UTF-8 in a JSON body is refused, not stored as replacement characters", async () => {
    const body = Buffer.concat([
      Buffer.from('{"tenant":"ops","name":"a'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const answer = await call("api.v2.ProjectService/Create", body);
    expect([answer.code, answer.message]).toEqual([
      "invalid_argument",
      expect.stringContaining("name: not valid UTF-8"),
    ]);
    const lone = await call("api.v2.ProjectService/Create", '{"tenant":"ops","name":"a\\ud800"}');
    expect(lone.code).toBe("invalid_argument");
  });

  it.each([
    ["NUL", "a\u0000b"],
    ["an escape sequence", "\u001b]0;pwned\u0007"],
    ["a C1 control", "a\u009bb"],
    ["a line break", "a\nb"],
  ])("a project name with %s is invalid_argument, echoed escaped", async (_what, name) => {
    const answer = await call("api.v2.ProjectService/Create", JSON.stringify({ tenant: "ops", name }));
    expect([answer.status, answer.code]).toEqual([400, "invalid_argument"]);
    expect(answer.message).toMatch(/^name: control character U\+00[0-9A-F]{2}/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the message must hold none
    expect(answer.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it.each([
    ["a right-to-left override", "invoice\u202egpj.exe"],
    ["a left-to-right embedding", "a\u202ab"],
    ["a first-strong isolate", "a\u2068b"],
    ["a pop directional isolate", "a\u2069"],
    ["a right-to-left mark", "a\u200fb"],
    ["a left-to-right mark", "\u200eab"],
    ["an Arabic letter mark", "a\u061cb"],
  ])("a project name with %s is invalid_argument, echoed escaped", async (_what, name) => {
    const answer = await call("api.v2.ProjectService/Create", JSON.stringify({ tenant: "ops", name }));
    expect([answer.status, answer.code]).toEqual([400, "invalid_argument"]);
    expect(answer.message).toMatch(
      /^name: bidirectional formatting character U\+(061C|200[EF]|202[A-E]|206[6-9]) at/,
    );
    expect(answer.message).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it("bidi characters are refused in identifiers and label keys, allowed in multi-line text", async () => {
    const id = await call("api.v2.IPService/Get", JSON.stringify({ project: `${project}\u202e`, id: "x" }));
    expect([id.code, id.message]).toEqual([
      "invalid_argument",
      expect.stringMatching(/^project: bidirectional formatting character U\+202E/),
    ]);
    const label = await call(
      "api.v2.ProjectService/Create",
      JSON.stringify({ tenant: "ops", name: "l", labels: { "k\u2066": "v" } }),
    );
    expect(label.code).toBe("invalid_argument");
    // A description is prose: right-to-left text with its marks stays writable (the CLI escapes it on output).
    const prose = await call(
      "api.v2.ProjectService/Create",
      JSON.stringify({ tenant: "ops", name: "rtl", description: "\u05e9\u05dc\u05d5\u05dd\u200f 1" }),
    );
    expect(prose.status).toBe(200);
  });

  it("a description may span lines, but holds no other control characters", async () => {
    const ok = await call(
      "api.v2.ProjectService/Create",
      JSON.stringify({ tenant: "ops", name: "multi", description: "line 1\nline 2\ttab" }),
    );
    expect(ok.status).toBe(200);
    const bad = await call(
      "api.v2.ProjectService/Create",
      JSON.stringify({ tenant: "ops", name: "multi", description: "x\u001b[2J" }),
    );
    expect(bad.code).toBe("invalid_argument");
  });

  it("a label value with a control character and an over-long id are refused; the echo is a short prefix", async () => {
    const label = await call(
      "api.v2.ProjectService/Create",
      JSON.stringify({ tenant: "ops", name: "l", labels: { k: "v\u0007" } }),
    );
    expect([label.code, label.message]).toEqual(["invalid_argument", expect.stringContaining('labels["k"]')]);
    const id = "x".repeat(10_000);
    const long = await call("api.v2.IPService/Get", JSON.stringify({ project, id }));
    expect([long.code, long.message]).toEqual(["invalid_argument", "id: at most 256 characters, got 10000"]);
    const echoed = await call(
      "api.v2.ProjectService/Create",
      JSON.stringify({ tenant: "ops", name: `${"y".repeat(100)}\u0000` }),
    );
    expect(echoed.message?.length).toBeLessThan(200);
  });

  it("a secret with a control character is refused without being echoed", async () => {
    const answer = await call(
      "admin.v2.UserService/SetPassword",
      JSON.stringify({ id: "ops", password: "hunter2-secret\u0000" }),
    );
    expect(answer.code).toBe("invalid_argument");
    expect(answer.message).not.toContain("hunter2");
  });
});
