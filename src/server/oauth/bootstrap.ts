import { ensureSuperAdmin } from "../../idp/bootstrap.js";
import type { AppContext } from "../context.js";
import { ensureUser } from "../tenancy/users.js";
import { localUserIdentity } from "./local-user-tenant.js";
import { idpDeps } from "./runtime.js";

/**
 * bootstrapIdentity runs at start-up: with the embedded provider and no local users yet, it creates
 * the super-admin with its personal tenant and prints its one-time password once on the server's stdout.
 */
export async function bootstrapIdentity(ctx: AppContext): Promise<void> {
  if (ctx.config.identity.issuerUrl) return;
  const admin = await ensureSuperAdmin(idpDeps(ctx), ctx.stdout);
  if (!admin) return;
  ctx.log.info("created the super-admin; its one-time password was printed above");
  await ensureUser(ctx, localUserIdentity(ctx, admin)).catch((err: Error) => {
    // Only data from an earlier identity provider can hold the id; the login names it too.
    ctx.log.error("the super-admin has no personal tenant; an organisation tenant holds its id", {
      user: admin.id,
      error: err.message,
    });
  });
}
