import { ensureSuperAdmin } from "../../idp/bootstrap.js";
import type { AppContext } from "../context.js";
import { idpDeps } from "./runtime.js";

/**
 * bootstrapIdentity runs at start-up: with the embedded provider and no local users yet, it
 * creates the super-admin and prints its one-time password once on the server's stdout.
 */
export async function bootstrapIdentity(ctx: AppContext): Promise<void> {
  if (ctx.config.identity.issuerUrl) return;
  if (await ensureSuperAdmin(idpDeps(ctx), ctx.stdout)) {
    ctx.log.info("created the super-admin; its one-time password was printed above");
  }
}
