import crypto from "node:crypto";
import net from "node:net";
import pg from "pg";

/** POSTGRES_ADMIN_URL is the test cluster's maintenance database (trust auth on loopback TCP). */
export const POSTGRES_ADMIN_URL =
  process.env.METAL_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** REDIS_TEST_URL is the Redis server the store contract and replica tests use. */
export const REDIS_TEST_URL = process.env.METAL_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** TestDatabase is a fresh, empty PostgreSQL database that `drop` removes again. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

const reachable = new Map<string, Promise<boolean>>();

function tcpReachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({
      host: hostname.replace(/^\[(.*)\]$/, "$1"),
      port: Number(port || defaultPort),
    });
    socket.setTimeout(2000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * requireComponent decides whether a suite that needs `name` runs: true when it is reachable; when it
 * is not, it prints a notice and returns false on a developer machine, and throws under CI (a missing
 * component in CI is a failure, not a skip).
 */
async function requireComponent(
  name: string,
  url: string,
  defaultPort: number,
  hint: string,
): Promise<boolean> {
  let check = reachable.get(url);
  if (!check) {
    check = tcpReachable(url, defaultPort);
    reachable.set(url, check);
  }
  if (await check) return true;
  const where = new URL(url).host;
  if (process.env.CI) {
    throw new Error(`${name} is not reachable at ${where}, and CI must run these suites for real: ${hint}`);
  }
  process.stderr.write(
    `NOTICE: ${name} is not reachable at ${where}; skipping the suites that need it (${hint})\n`,
  );
  return false;
}

/** postgresAvailable tells whether PostgreSQL suites can run (see requireComponent for CI behaviour). */
export function postgresAvailable(): Promise<boolean> {
  return requireComponent(
    "PostgreSQL",
    POSTGRES_ADMIN_URL,
    5432,
    "start it on 127.0.0.1:5432 with trust auth, or run .ci/run",
  );
}

/** redisAvailable tells whether Redis suites can run (see requireComponent for CI behaviour). */
export function redisAvailable(): Promise<boolean> {
  return requireComponent(
    "Redis",
    REDIS_TEST_URL,
    6379,
    "start redis-server on 127.0.0.1:6379, or run .ci/run",
  );
}

/** createPostgresDatabase creates an empty database `metal_test_<random>` on the test cluster. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `metal_test_${crypto.randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE ends connections a failed test may have left open.
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
