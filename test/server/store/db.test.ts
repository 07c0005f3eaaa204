import net from "node:net";
import { describe, expect, it } from "vitest";
import { defaultServerConfig } from "../../../src/server/config.js";
import { silentLogger } from "../../../src/server/log.js";
import { startServer } from "../../../src/server/server.js";
import { DatabaseUnavailableError, describePostgresUrl, openDatabase } from "../../../src/server/store/db.js";

/** A loopback port with nothing listening: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("PostgreSQL connection errors", () => {
  it("names host, port and database but never the password when the server is unreachable", async () => {
    const port = await closedPort();
    const db = openDatabase({
      databaseUrl: `postgres://metal:s3cret-pw@127.0.0.1:${port}/metal`,
      dataDir: "",
    });
    try {
      const err = await db.ping().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatabaseUnavailableError);
      const message = (err as Error).message;
      expect(message).toContain(`127.0.0.1:${port}/metal`);
      expect(message).toContain("ECONNREFUSED");
      expect(message).toContain("--database-url");
      expect(message).not.toContain("s3cret-pw");
    } finally {
      await db.close();
    }
  });

  it("refuses to start the server with the same clear message", async () => {
    const port = await closedPort();
    const start = startServer(
      {
        ...defaultServerConfig(),
        listen: "127.0.0.1:0",
        databaseUrl: `postgresql://metal:s3cret-pw@127.0.0.1:${port}/prod`,
      },
      { log: silentLogger },
    );
    await expect(start).rejects.toThrow(`cannot reach PostgreSQL at 127.0.0.1:${port}/prod`);
    await expect(start).rejects.not.toThrow("s3cret-pw");
  });

  it("describes URLs without credentials", () => {
    expect(describePostgresUrl("postgres://u:p@db.example:6543/app?sslmode=require")).toBe(
      "db.example:6543/app",
    );
    expect(describePostgresUrl("postgres://db.example/app")).toBe("db.example:5432/app");
    expect(describePostgresUrl("not a url with password p")).toBe("(unparsable database URL)");
  });
});
