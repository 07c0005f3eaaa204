import { Code, ConnectError } from "@connectrpc/connect";
import type { AppContext } from "../context.js";
import type { Executor } from "./trx.js";

// A character no organisation id (a DNS-label slug) contains: a user prefix with one keeps user ids
// and organisation ids apart whatever the identity provider's user keys look like.
const OUTSIDE_SLUGS = /[^a-z0-9-]/;

/**
 * refuseUserTenantId throws AlreadyExists when an organisation tenant must not take `id` because it is,
 * or may become, a user's personal tenant id: an existing user, a local user of the embedded identity
 * provider who has not logged in yet, or any id an external provider's users can have when the user
 * prefix does not keep them apart from slugs. Connector identities (`connector:key`) never look like
 * a slug, so they need no check.
 */
export async function refuseUserTenantId(ctx: AppContext, db: Executor, id: string): Promise<void> {
  const reserved = () =>
    new ConnectError(
      `id: "${id}" is reserved for the personal tenant of the user with that id; pick another id`,
      Code.AlreadyExists,
    );
  const { issuerUrl, userPrefix } = ctx.config.identity;
  if (issuerUrl) {
    if (OUTSIDE_SLUGS.test(userPrefix)) return;
    if (id.startsWith(userPrefix)) {
      throw new ConnectError(
        `id: "${id}" may be the id of a user of the external identity provider (user ids are ${userPrefix ? `"${userPrefix}" + the provider's user key` : "the provider's user keys"}); the operator must set --oidc-user-prefix to a prefix with a ":" (e.g. corp:) before organisations can have such ids`,
        Code.FailedPrecondition,
      );
    }
  }
  const user = await db.selectFrom("users").select("id").where("id", "=", id).executeTakeFirst();
  if (user) throw reserved();
  if (issuerUrl) return;
  const local = await db.selectFrom("idp_users").select("id").where("id", "=", id).executeTakeFirst();
  if (local) throw reserved();
}
