import { Migrator } from "kysely";
import type { Db } from "./db.js";
import { migrationProvider } from "./migrations/index.js";

/**
 * migrateToLatest applies every pending migration in one go and fails loudly on the first error.
 * Safe with several replicas starting at once: on PostgreSQL Kysely serialises migrators with an
 * advisory lock, so each migration runs exactly once. Migrations run without --database-timeout.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  // A clear "cannot reach the database" beats a migration failure that only says ECONNREFUSED.
  await db.ping();
  const { error, results } = await db.withoutTimeouts((kysely) =>
    new Migrator({ db: kysely, provider: migrationProvider }).migrateToLatest(),
  );
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const name = failed?.migrationName ?? "unknown";
    throw new Error(
      `database migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
