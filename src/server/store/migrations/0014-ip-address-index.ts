import type { Kysely } from "kysely";

/** Machine lists filtered by IP (`--ip`) find the machine holding an address by this index. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("ips_address_idx").on("ips").column("address").execute();
}
