import fs from "node:fs";
import path from "node:path";
import type { DescService } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import { type AppContext, membershipChanged } from "../../../src/server/context.js";

/** OWN and FOREIGN name the tenants and projects the matrix calls on; MISSING exists nowhere. */
export const OWN_TENANT = "t-own";
export const FOREIGN_TENANT = "t-foreign";
export const OWN_PROJECT = "p-own";
export const FOREIGN_PROJECT = "p-foreign";
export const MISSING_PROJECT = "p-missing";

/** loadGeneratedServices imports every generated *_pb.ts file and returns all services it declares. */
export async function loadGeneratedServices(): Promise<DescService[]> {
  const root = path.resolve(import.meta.dirname, "../../../src/gen");
  const files = fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("_pb.ts"))
    .sort();
  const services: DescService[] = [];
  for (const f of files) {
    const mod = (await import(path.join(root, f))) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (value && typeof value === "object" && (value as { kind?: unknown }).kind === "service") {
        services.push(value as DescService);
      }
    }
  }
  return services;
}

/** addUser inserts a user row directly (the tenancy schema is fixed), without a personal tenant. */
export async function addUser(ctx: AppContext, id: string, adminRole = 0): Promise<void> {
  const now = new Date().toISOString();
  await ctx.db.kysely
    .insertInto("users")
    .values({
      id,
      name: id,
      email: `${id}@example.test`,
      admin_role: adminRole,
      tenant_admin: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** addTenant inserts a tenant. */
export async function addTenant(ctx: AppContext, id: string): Promise<void> {
  const now = new Date().toISOString();
  await ctx.db.kysely
    .insertInto("tenants")
    .values({
      id,
      name: id,
      description: "",
      email: "",
      personal: 0,
      created_by: "test",
      generation: 1,
      labels: "{}",
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** addProject inserts a project into a tenant. */
export async function addProject(ctx: AppContext, id: string, tenant: string): Promise<void> {
  const now = new Date().toISOString();
  await ctx.db.kysely
    .insertInto("projects")
    .values({
      id,
      tenant_id: tenant,
      name: id,
      description: "",
      generation: 1,
      labels: "{}",
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** setTenantRole makes a user a member of a tenant and tells the permission caches. */
export async function setTenantRole(
  ctx: AppContext,
  user: string,
  tenant: string,
  role: number,
): Promise<void> {
  await ctx.db.kysely
    .insertInto("tenant_members")
    .values({ tenant_id: tenant, user_id: user, role, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).doUpdateSet({ role }))
    .execute();
  membershipChanged(ctx, user);
}

/** setProjectRole makes a user a member of a project and tells the permission caches. */
export async function setProjectRole(
  ctx: AppContext,
  user: string,
  project: string,
  role: number,
): Promise<void> {
  await ctx.db.kysely
    .insertInto("project_members")
    .values({ project_id: project, user_id: user, role, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(["project_id", "user_id"]).doUpdateSet({ role }))
    .execute();
  membershipChanged(ctx, user);
}

/** seedScopes creates the own and foreign tenant with one project each. */
export async function seedScopes(ctx: AppContext): Promise<void> {
  await addTenant(ctx, OWN_TENANT);
  await addTenant(ctx, FOREIGN_TENANT);
  await addProject(ctx, OWN_PROJECT, OWN_TENANT);
  await addProject(ctx, FOREIGN_PROJECT, FOREIGN_TENANT);
}

/** bearer returns a client interceptor that presents a token. */
export function bearer(token: string): Interceptor {
  return (next) => async (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}
