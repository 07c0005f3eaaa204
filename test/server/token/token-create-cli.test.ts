import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService as AdminTokenService } from "../../../src/gen/metalstack/admin/v2/token_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { defaultServerConfig } from "../../../src/server/config.js";
import { silentLogger } from "../../../src/server/log.js";
import { type RunningServer, startServer } from "../../../src/server/server.js";
import { parseTokenCreateArgs } from "../../../src/server/token/token-create-command.js";
import { runApiserver } from "../../helpers/cli.js";
import { redisAvailable } from "../../helpers/components.js";
import { REDIS_TEST_URL } from "../../helpers/databases.js";
import { deleteRedisPrefix } from "../../helpers/redis.js";
import { bearer } from "../authz/fixtures.js";

const withRedis = await redisAvailable();
const apiserver = (args: string[]) => runApiserver(args, { ...process.env, NO_COLOR: "1" });

describe("metal-apiserver token create", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-token-cli-"));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("prints only an admin token that a server on the same data dir accepts", async () => {
    const publicUrl = "http://127.0.0.1:18099";
    const res = await apiserver([
      "token",
      "create",
      "--data-dir",
      dataDir,
      "--public-url",
      publicUrl,
      "--admin-role",
      "editor",
      "--expires",
      "1h",
    ]);
    expect(res.code).toBe(0);
    const token = res.stdout.trim();
    expect(res.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    let server: RunningServer | undefined;
    try {
      server = await startServer(
        { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir, publicUrl },
        { log: silentLogger },
      );
      const admin = createClient(
        AdminTokenService,
        createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [bearer(token)] }),
      );
      const listed = await admin.list({});
      expect(listed.tokens.some((t) => t.user === "bootstrap-admin")).toBe(true);
    } finally {
      await server?.close();
    }
  });

  it.runIf(withRedis)("stores the token in Redis when the servers keep tokens there", async () => {
    const publicUrl = "http://127.0.0.1:18098";
    const redisKeyPrefix = `metal-test-${crypto.randomBytes(6).toString("hex")}:`;
    const res = await apiserver([
      ...["token", "create", "--data-dir", dataDir, "--public-url", publicUrl],
      ...["--redis-url", REDIS_TEST_URL, "--redis-key-prefix", redisKeyPrefix],
      ...["--admin-role", "viewer", "--expires", "1h"],
    ]);
    expect(res.code, res.stderr).toBe(0);
    let server: RunningServer | undefined;
    try {
      server = await startServer(
        {
          ...defaultServerConfig(),
          listen: "127.0.0.1:0",
          dataDir,
          publicUrl,
          redisUrl: REDIS_TEST_URL,
          redisKeyPrefix,
        },
        { log: silentLogger },
      );
      const admin = createClient(
        AdminTokenService,
        createConnectTransport({
          baseUrl: server.url,
          httpVersion: "1.1",
          interceptors: [bearer(res.stdout.trim())],
        }),
      );
      await expect(admin.list({})).resolves.toBeDefined();
    } finally {
      if (server?.ctx.redis) await deleteRedisPrefix(server.ctx.redis, redisKeyPrefix);
      await server?.close();
    }
  });

  it.each([
    [["--admin-role", "root", "--expires", "1h"], /--admin-role: "root" is not editor or viewer/],
    [["--admin-role", "editor"], /--expires: required/],
    [["--admin-role", "editor", "--expires", "2y"], /--expires: at most 365 days/],
  ])("exits 2 with a clear message for %j", async (args, message) => {
    const res = await apiserver(["token", "create", "--data-dir", dataDir, ...args]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(message);
  });
});

describe("token create argument parsing", () => {
  const usage = (m: string) => new Error(m);
  it.each([
    [["--admin-role", "editor", "--expires", "soon"], /--expires: "soon" is not a duration/],
    [["--expires", "1h"], /--admin-role: required/],
    [["--admin-role", "viewer", "--expires", "1h", "--user", "bad user!"], /--user: "bad user!"/],
    [["--admin-role"], /--admin-role: needs a value/],
  ])("rejects %j", (args, message) => {
    expect(() => parseTokenCreateArgs(args, usage)).toThrow(message);
  });

  it("reads durations and leaves store flags for the server config", () => {
    const parsed = parseTokenCreateArgs(
      ["--data-dir", "/x", "--admin-role=viewer", "--expires", "30d"],
      usage,
    );
    expect(parsed).toMatchObject({
      adminRole: AdminRole.VIEWER,
      expiresMs: 30 * 86_400_000,
      rest: ["--data-dir", "/x"],
    });
  });
});
