import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AdminRole, ProjectRole, TenantRole } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type User,
  type UserProject,
  UserProjectSchema,
  UserSchema,
  UserTenantSchema,
} from "../../gen/metalstack/api/v2/user_pb.js";
import { projectRoleFromTenantRole, strongerRole } from "./roles.js";
import type { Executor } from "./trx.js";
import { userRepo } from "./user-repo.js";

/**
 * whoami describes a user: identity, admin role, tenant memberships and every project it can act in,
 * with the effective role (direct or implied by a tenant role, whichever is stronger).
 */
export async function whoami(ex: Executor, userId: string): Promise<User> {
  const repo = userRepo(ex, userId);
  const user = await repo.get();
  if (!user) {
    throw new ConnectError(`user "${userId}" is not known; log in again`, Code.NotFound);
  }
  const [tenants, direct, viaTenant] = await Promise.all([
    repo.tenants(),
    repo.directProjects(),
    repo.tenantProjects(),
  ]);
  const projects = new Map<string, UserProject>();
  for (const p of direct) {
    projects.set(
      p.id,
      create(UserProjectSchema, {
        project: p.id,
        tenant: p.tenant_id,
        name: p.name,
        role: p.role as ProjectRole,
      }),
    );
  }
  for (const p of viaTenant) {
    const implied = projectRoleFromTenantRole(p.tenant_role as TenantRole);
    const known = projects.get(p.id);
    if (known && strongerRole(known.role, implied) === known.role) continue;
    projects.set(
      p.id,
      create(UserProjectSchema, {
        project: p.id,
        tenant: p.tenant_id,
        name: p.name,
        role: implied,
        impliedByTenant: true,
      }),
    );
  }
  return create(UserSchema, {
    id: user.id,
    name: user.name,
    email: user.email,
    adminRole: user.admin_role as AdminRole,
    tenants: tenants.map((t) =>
      create(UserTenantSchema, {
        tenant: t.id,
        name: t.name,
        role: t.role as TenantRole,
        personal: t.personal === 1,
      }),
    ),
    projects: [...projects.values()].sort((a, b) =>
      a.project < b.project ? -1 : a.project > b.project ? 1 : 0,
    ),
  });
}
