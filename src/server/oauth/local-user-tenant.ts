import {
  createLocalUser,
  deleteLocalUser,
  type LocalUser,
  type NewLocalUser,
} from "../../idp/local-users.js";
import type { AppContext } from "../context.js";
import { ensureUser, type UserIdentity } from "../tenancy/users.js";
import { adminRoleFor, tenantAdminFor } from "./roles.js";
import { idpDeps } from "./runtime.js";

/** localUserIdentity is how a local user of the embedded provider appears to the API, as at its login. */
export function localUserIdentity(ctx: AppContext, u: LocalUser): UserIdentity {
  const mapping = ctx.config.identity.groupRoles;
  const adminRole = adminRoleFor(u.roles, mapping);
  const tenantAdmin = tenantAdminFor(u.roles, mapping);
  return {
    id: u.id,
    name: u.displayName || u.id,
    email: u.email,
    ...(adminRole !== undefined ? { adminRole } : {}),
    ...(tenantAdmin !== undefined ? { tenantAdmin } : {}),
  };
}

/**
 * createLocalUserWithTenant creates a local user together with its API user and personal tenant, so
 * no organisation can take the id between creation and first login. When an organisation tenant
 * already holds the id, the local user is removed again and the AlreadyExists error passed on.
 */
export async function createLocalUserWithTenant(ctx: AppContext, u: NewLocalUser): Promise<LocalUser> {
  const deps = idpDeps(ctx);
  const user = await createLocalUser(deps, u);
  try {
    await ensureUser(ctx, localUserIdentity(ctx, user));
  } catch (err) {
    await deleteLocalUser(deps, user.id);
    throw err;
  }
  return user;
}
