// What the benchmarks share about the machine's PostgreSQL and Redis, and the viewer they all measure.
import net from "node:net";
import pg from "pg";
import { ProjectRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { type AppContext, membershipChanged } from "../../src/server/context.js";
import { createProject } from "../../src/server/tenancy/projects.js";
import { ensureUser } from "../../src/server/tenancy/users.js";

/** PG_ADMIN is the maintenance database of the local PostgreSQL (trust auth), for creating bench databases. */
export const PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres";
/** REDIS is the local Redis. */
export const REDIS = "redis://127.0.0.1:6379";

/** adminQuery runs one statement on the maintenance database (CREATE/DROP DATABASE). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** reachable tells whether something accepts TCP connections on a loopback port. */
export function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * seedViewer creates the user `bench` as VIEWER of a project owned by someone else and returns the
 * project and what `metalctl login` would receive: a user token of a login session.
 */
export async function seedViewer(ctx: AppContext): Promise<{ project: string; accessToken: string }> {
  await ensureUser(ctx, { id: "bench", name: "bench", email: "bench@example.test" });
  await ensureUser(ctx, { id: "bench-owner", name: "owner", email: "owner@example.test" });
  const project = await createProject(ctx, "bench-owner", "bench-owner", {
    name: "bench",
    description: "",
    labels: {},
  });
  await ctx.db.kysely
    .insertInto("project_members")
    .values({
      project_id: project.id,
      user_id: "bench",
      role: ProjectRole.VIEWER,
      created_at: new Date().toISOString(),
    })
    .execute();
  membershipChanged(ctx, "bench");
  const { accessToken } = await ctx.tokens.issueUserSession("bench");
  return { project: project.id, accessToken };
}
