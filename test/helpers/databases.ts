import crypto from "node:crypto";
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
