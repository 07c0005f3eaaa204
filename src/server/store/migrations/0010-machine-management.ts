import { type Kysely, sql } from "kysely";

/**
 * Machines remember what their management agent last confirmed (power, next boot device, LED) and
 * how many Crashing events arrived since they last reached Waiting or Phoned Home, so lists can
 * show a crash loop without reading the event history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite adds one column per ALTER TABLE statement.
  for (const column of ["crash_streak", "power_state", "next_boot", "led_state"]) {
    await db.schema
      .alterTable("machines")
      .addColumn(column, "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await db.schema.alterTable("machines").addColumn("management_updated_at", "text").execute();
  // Event numbers: 9 Crashing, 4 Waiting, 7 Phoned Home (metalstack.api.v2.MachineProvisioningEventType).
  await sql`
    UPDATE machines SET crash_streak = (
      SELECT count(*) FROM machine_events e
      WHERE e.machine_id = machines.id AND e.event = 9 AND e.seq > coalesce(
        (SELECT max(g.seq) FROM machine_events g WHERE g.machine_id = machines.id AND g.event IN (4, 7)), 0))
  `.execute(db);
}
