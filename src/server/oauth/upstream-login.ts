import type { Res } from "../../shared/http.js";
import type { AppContext } from "../context.js";
import { redirect } from "./http.js";
import { type LoginRequest, PENDING_LOGIN_TTL_MS, type PendingLogin, storeKeys } from "./login-records.js";
import { newUpstreamChecks } from "./relying-party.js";

/**
 * sendToIdentityProvider remembers a login request under fresh upstream checks (state, nonce, PKCE)
 * and sends the browser to the identity provider; its callback finishes the login.
 */
export async function sendToIdentityProvider(
  ctx: AppContext,
  res: Res,
  request: LoginRequest,
): Promise<void> {
  const runtime = await ctx.identityRuntime();
  const upstream = newUpstreamChecks();
  const pending: PendingLogin = { ...request, upstream };
  await ctx.loginState.put(storeKeys.pending(upstream.state), pending, PENDING_LOGIN_TTL_MS);
  redirect(res, (await runtime.rp.authorizationUrl(upstream)).href);
}
