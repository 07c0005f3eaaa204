import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type UserService,
  UserServiceCreateResponseSchema,
  UserServiceDeleteResponseSchema,
  UserServiceGetResponseSchema,
  UserServiceListResponseSchema,
  UserServiceLockResponseSchema,
  UserServiceResetPasswordResponseSchema,
  UserServiceSetPasswordResponseSchema,
  UserServiceUnlockResponseSchema,
  UserServiceUpdateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/user_pb.js";
import {
  deleteLocalUser,
  getLocalUser,
  type LocalUser,
  listLocalUsers,
  setLocalPassword,
  updateLocalUser,
} from "../../../../idp/local-users.js";
import { generatePassword } from "../../../../idp/passwords.js";
import type { AppContext } from "../../../context.js";
import { createLocalUserWithTenant } from "../../../oauth/local-user-tenant.js";
import { adminRoleFor, tenantAdminFor } from "../../../oauth/roles.js";
import { idpDeps } from "../../../oauth/runtime.js";
import { ensureUser } from "../../../tenancy/users.js";
import { roleNames, toConnectError, toLocalUserMessage } from "./convert.js";

/**
 * adminUserService lets operators manage the embedded provider's local users. Passwords only go
 * in (and a generated one-time password out, once); they are never returned or logged.
 */
export function adminUserService(ctx: AppContext): Partial<ServiceImpl<typeof UserService>> {
  const deps = idpDeps(ctx);
  const need = (id: string) => {
    if (!id) throw new ConnectError("id: name the local user", Code.InvalidArgument);
  };
  const found = async (id: string): Promise<LocalUser> => {
    need(id);
    const u = await getLocalUser(deps, id);
    if (!u)
      throw new ConnectError(`user "${id}" does not exist; list users with admin user list`, Code.NotFound);
    return u;
  };
  // Role changes reach an API user that already logged in at once, not only at its next login.
  const applyRoles = async (u: LocalUser) => {
    const existing = await ctx.db.kysely
      .selectFrom("users")
      .select(["name", "email"])
      .where("id", "=", u.id)
      .executeTakeFirst();
    if (!existing) return;
    const adminRole = adminRoleFor(u.roles, ctx.config.identity.groupRoles);
    const tenantAdmin = tenantAdminFor(u.roles, ctx.config.identity.groupRoles);
    await ensureUser(ctx, {
      id: u.id,
      name: existing.name,
      email: existing.email,
      ...(adminRole !== undefined ? { adminRole } : {}),
      ...(tenantAdmin !== undefined ? { tenantAdmin } : {}),
    });
  };
  // Locking, deleting or resetting a person ends every token they hold, not only future logins.
  const endSessions = (userId: string) => ctx.tokens.revokeUser(userId);
  return {
    async create(req) {
      const user = await createLocalUserWithTenant(ctx, {
        id: req.id,
        displayName: req.name,
        email: req.email,
        roles: roleNames(req.roles),
        password: req.password,
        mustChangePassword: true,
      }).catch(toConnectError);
      ctx.log.info("local user created", { user: user.id });
      return create(UserServiceCreateResponseSchema, { user: toLocalUserMessage(user) });
    },
    async list() {
      const users = await listLocalUsers(deps);
      return create(UserServiceListResponseSchema, { users: users.map(toLocalUserMessage) });
    },
    async get(req) {
      return create(UserServiceGetResponseSchema, { user: toLocalUserMessage(await found(req.id)) });
    },
    async update(req) {
      need(req.id);
      const user = await updateLocalUser(deps, req.id, {
        ...(req.name !== undefined ? { displayName: req.name } : {}),
        ...(req.email !== undefined ? { email: req.email } : {}),
        ...(req.roles ? { roles: roleNames(req.roles.roles) } : {}),
        generation: Number(req.updateMeta?.generation ?? 0n),
      }).catch(toConnectError);
      if (req.roles) await applyRoles(user);
      return create(UserServiceUpdateResponseSchema, { user: toLocalUserMessage(user) });
    },
    async setPassword(req) {
      need(req.id);
      const user = await setLocalPassword(deps, req.id, req.password, { mustChange: req.mustChange }).catch(
        toConnectError,
      );
      // Whoever knew the old password may hold a session: an operator sets a password to shut them out too.
      await endSessions(user.id);
      ctx.log.info("local user password set", { user: user.id });
      return create(UserServiceSetPasswordResponseSchema, { user: toLocalUserMessage(user) });
    },
    async resetPassword(req) {
      need(req.id);
      const oneTime = generatePassword();
      const user = await setLocalPassword(deps, req.id, oneTime, { mustChange: true, generated: true }).catch(
        toConnectError,
      );
      await endSessions(user.id);
      ctx.log.info("local user password reset", { user: user.id });
      return create(UserServiceResetPasswordResponseSchema, {
        user: toLocalUserMessage(user),
        oneTimePassword: oneTime,
      });
    },
    async lock(req) {
      await found(req.id);
      const user = await updateLocalUser(deps, req.id, { locked: true }).catch(toConnectError);
      await endSessions(user.id);
      ctx.log.info("local user locked", { user: user.id });
      return create(UserServiceLockResponseSchema, { user: toLocalUserMessage(user) });
    },
    async unlock(req) {
      await found(req.id);
      const user = await updateLocalUser(deps, req.id, { locked: false }).catch(toConnectError);
      ctx.log.info("local user unlocked", { user: user.id });
      return create(UserServiceUnlockResponseSchema, { user: toLocalUserMessage(user) });
    },
    async delete(req) {
      need(req.id);
      const user = await deleteLocalUser(deps, req.id).catch(toConnectError);
      await endSessions(user.id);
      ctx.log.info("local user deleted", { user: user.id });
      return create(UserServiceDeleteResponseSchema, { user: toLocalUserMessage(user) });
    },
  };
}
