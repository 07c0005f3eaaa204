import type { Trx } from "../tenancy/trx.js";

/**
 * ipamProjectGuard blocks deleting a project that still holds child networks, IPs, images or
 * filesystem layouts, naming how many of each.
 */
export async function ipamProjectGuard(trx: Trx, projectId: string): Promise<string | undefined> {
  const count = async (table: "networks" | "ips" | "images" | "filesystem_layouts") => {
    const row = await trx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("project", "=", projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const parts: string[] = [];
  const networks = await count("networks");
  if (networks) parts.push(`${networks} network${networks === 1 ? "" : "s"}`);
  const ips = await count("ips");
  if (ips) parts.push(`${ips} IP${ips === 1 ? "" : "s"}`);
  const images = await count("images");
  if (images) parts.push(`${images} image${images === 1 ? "" : "s"}`);
  const layouts = await count("filesystem_layouts");
  if (layouts) parts.push(`${layouts} filesystem layout${layouts === 1 ? "" : "s"}`);
  return parts.length > 0 ? parts.join(", ") : undefined;
}
