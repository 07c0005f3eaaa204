import type { Kysely } from "kysely";

/**
 * Partitions, sizes, images, filesystem layouts, networks, prefixes and IPs. Project-owned rows
 * carry an indexed `project` column ("" for global ones) so per-project lists stay cheap; the
 * unique keys on network_prefixes.prefix and ips(network_id, address) are the last line of defence
 * against double allocation (allocation itself serializes per parent network, see ipam/).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("partitions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("boot_image_url", "text", (c) => c.notNull())
    .addColumn("boot_kernel_url", "text", (c) => c.notNull())
    .addColumn("boot_commandline", "text", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("sizes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("constraints", "text", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("images")
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("os", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("features", "text", (c) => c.notNull())
    .addColumn("classification", "integer", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("images_pk", ["project", "id"])
    .execute();
  await db.schema.createIndex("images_project_os_idx").on("images").columns(["project", "os"]).execute();
  await db.schema
    .createTable("filesystem_layouts")
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("filesystems", "text", (c) => c.notNull())
    .addColumn("disks", "text", (c) => c.notNull())
    .addColumn("constraints", "text", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("filesystem_layouts_pk", ["project", "id"])
    .execute();
  await db.schema
    .createTable("networks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("partition", "text", (c) => c.notNull())
    .addColumn("parent_network_id", "text", (c) => c.references("networks.id").onDelete("restrict"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("type", "integer", (c) => c.notNull())
    .addColumn("prefixes", "text", (c) => c.notNull())
    .addColumn("destination_prefixes", "text", (c) => c.notNull())
    .addColumn("child_length_v4", "integer")
    .addColumn("child_length_v6", "integer")
    .addColumn("vrf", "integer", (c) => c.notNull())
    .addColumn("nat", "integer", (c) => c.notNull())
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("networks_project_idx").on("networks").columns(["project", "type"]).execute();
  await db.schema.createIndex("networks_parent_idx").on("networks").column("parent_network_id").execute();
  await db.schema
    .createTable("network_prefixes")
    .addColumn("prefix", "text", (c) => c.primaryKey())
    .addColumn("network_id", "text", (c) => c.notNull().references("networks.id").onDelete("cascade"))
    .addColumn("parent_network_id", "text")
    .addColumn("family", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("network_prefixes_parent_idx")
    .on("network_prefixes")
    .columns(["parent_network_id", "family"])
    .execute();
  await db.schema
    .createIndex("network_prefixes_network_idx")
    .on("network_prefixes")
    .column("network_id")
    .execute();
  await db.schema
    .createTable("ips")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("project", "text", (c) => c.notNull())
    .addColumn("network_id", "text", (c) => c.notNull().references("networks.id").onDelete("restrict"))
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("family", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("type", "integer", (c) => c.notNull())
    .addColumn("machine_id", "text")
    .addColumn("labels", "text", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("ips_network_address_uq", ["network_id", "address"])
    .execute();
  await db.schema.createIndex("ips_project_idx").on("ips").columns(["project", "network_id"]).execute();
  await db.schema.createIndex("ips_machine_idx").on("ips").column("machine_id").execute();
}
