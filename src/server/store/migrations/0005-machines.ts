import { type Kysely, sql } from "kysely";

/** Machines, their provisioning events and the agent task queue. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("machines")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("partition", "text", (c) => c.notNull())
    .addColumn("size", "text", (c) => c.notNull())
    .addColumn("rack", "text", (c) => c.notNull())
    .addColumn("hardware", "text", (c) => c.notNull())
    .addColumn("bmc_address", "text", (c) => c.notNull())
    .addColumn("bmc_user", "text", (c) => c.notNull())
    .addColumn("bmc_password", "text", (c) => c.notNull())
    .addColumn("state", "integer", (c) => c.notNull())
    .addColumn("state_description", "text", (c) => c.notNull())
    .addColumn("project", "text", (c) => c.references("projects.id").onDelete("restrict"))
    .addColumn("allocation_id", "text")
    .addColumn("name", "text")
    .addColumn("hostname", "text")
    .addColumn("image", "text")
    .addColumn("allocation", "text")
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("last_event", "integer", (c) => c.notNull())
    .addColumn("last_event_time", "text")
    .addColumn("event_seq", "integer", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // Project lists walk this index in id order, so their cost depends on the project's machines only.
  await db.schema.createIndex("machines_project_idx").on("machines").columns(["project", "id"]).execute();
  // Rack spreading counts a project's machines per rack.
  await db.schema
    .createIndex("machines_project_rack_idx")
    .on("machines")
    .columns(["project", "rack"])
    .execute();
  // Allocation looks for free waiting machines of one size in one partition.
  await db.schema
    .createIndex("machines_pool_idx")
    .on("machines")
    .columns(["partition", "size", "last_event"])
    .where(sql.ref("project"), "is", null)
    .execute();
  await db.schema
    .createTable("machine_events")
    .addColumn("machine_id", "text", (c) => c.notNull().references("machines.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("time", "text", (c) => c.notNull())
    .addColumn("event", "integer", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("allocation_id", "text")
    .addPrimaryKeyConstraint("machine_events_pk", ["machine_id", "seq"])
    .execute();
  await db.schema
    .createTable("machine_tasks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("machine_id", "text", (c) => c.notNull().references("machines.id").onDelete("cascade"))
    .addColumn("partition", "text", (c) => c.notNull())
    .addColumn("kind", "integer", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text")
    .execute();
  await db.schema
    .createIndex("machine_tasks_partition_idx")
    .on("machine_tasks")
    .columns(["partition", "created_at"])
    .execute();
  await db.schema.createIndex("machine_tasks_machine_idx").on("machine_tasks").column("machine_id").execute();
}
