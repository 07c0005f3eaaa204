import type { ServerConfig } from "../../src/server/config.js";
import type { AppContext } from "../../src/server/context.js";
import { createPostgresDatabase } from "./databases.js";
import { startTestServer, type TestServer } from "./start-server.js";

/**
 * startDialectServer starts the test server on a fresh PostgreSQL database for "postgres", or on its own
 * SQLite file for "sqlite" whatever METAL_TEST_DATABASE says; `close()` also drops the database.
 */
export async function startDialectServer(
  dialect: "sqlite" | "postgres",
  config: Partial<ServerConfig> = {},
  overrides: Partial<AppContext> = {},
): Promise<TestServer> {
  const database = dialect === "postgres" ? await createPostgresDatabase() : undefined;
  const server = await startTestServer({ databaseUrl: database?.url ?? "", ...config }, overrides).catch(
    async (err: unknown) => {
      await database?.drop();
      throw err;
    },
  );
  return {
    ...server,
    async close() {
      await server.close();
      await database?.drop();
    },
  };
}
