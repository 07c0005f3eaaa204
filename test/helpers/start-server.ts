import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultServerConfig, type ServerConfig } from "../../src/server/config.js";
import type { AppContext } from "../../src/server/context.js";
import { silentLogger } from "../../src/server/log.js";
import { type RunningServer, startServer } from "../../src/server/server.js";

/** TestServer is an in-process API server on a random loopback port with its own temporary data dir. */
export interface TestServer extends RunningServer {
  dataDir: string;
}

/**
 * startTestServer boots the real server (real SQLite file, real interceptors) on 127.0.0.1:0.
 * Call `close()` in afterAll; the data dir is removed with it.
 */
export async function startTestServer(
  config: Partial<ServerConfig> = {},
  overrides: Partial<AppContext> = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-test-"));
  const server = await startServer(
    { ...defaultServerConfig(), listen: "127.0.0.1:0", dataDir, ...config },
    { log: silentLogger, ...overrides },
  );
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
