import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultServerConfig, type ServerConfig } from "../../src/server/config.js";
import type { AppContext } from "../../src/server/context.js";
import { silentLogger } from "../../src/server/log.js";
import { type RunningServer, startServer } from "../../src/server/server.js";
import { postgresAvailable, redisAvailable } from "./components.js";
import { createPostgresDatabase, REDIS_TEST_URL } from "./databases.js";
import { deleteRedisPrefix } from "./redis.js";

/** TestServer is an in-process API server on a random loopback port with its own temporary data dir. */
export interface TestServer extends RunningServer {
  dataDir: string;
}

/**
 * startTestServer boots the real server (real SQLite file, real interceptors) on 127.0.0.1:0.
 * Call `close()` in afterAll; the data dir is removed with it. With `METAL_TEST_DATABASE=postgres`
 * (and no explicit `databaseUrl`) it runs on a fresh PostgreSQL database that `close()` drops; with
 * `METAL_TEST_REDIS=1` (and no explicit `redisUrl`) it keeps tokens, rate limits and login state in Redis.
 */
export async function startTestServer(
  config: Partial<ServerConfig> = {},
  overrides: Partial<AppContext> = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-test-"));
  const pgDatabase =
    process.env.METAL_TEST_DATABASE === "postgres" && !config.databaseUrl && (await postgresAvailable())
      ? await createPostgresDatabase()
      : undefined;
  const redisUrl = process.env.METAL_TEST_REDIS === "1" && (await redisAvailable()) ? REDIS_TEST_URL : "";
  // Test servers share one Redis; their own key prefix keeps counters and tokens of one test from another.
  const redisKeyPrefix = `metal-test-${crypto.randomBytes(6).toString("hex")}:`;
  const server = await startServer(
    {
      ...defaultServerConfig(),
      listen: "127.0.0.1:0",
      dataDir,
      databaseUrl: pgDatabase?.url ?? "",
      redisUrl,
      redisKeyPrefix,
      ...config,
    },
    { log: silentLogger, stdout: () => {}, ...overrides },
  ).catch(async (err) => {
    await pgDatabase?.drop();
    throw err;
  });
  return {
    ...server,
    dataDir,
    async close() {
      const redis = server.ctx.redis;
      if (redis && server.ctx.config.redisKeyPrefix === redisKeyPrefix) {
        await deleteRedisPrefix(redis, redisKeyPrefix).catch(() => undefined);
      }
      await server.close();
      await pgDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
