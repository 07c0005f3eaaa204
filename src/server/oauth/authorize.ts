import { ConnectError } from "@connectrpc/connect";
import { type Req, type Res, sendHtml } from "../../shared/http.js";
import { messagePage } from "../../shared/pages/message.js";
import type { AppContext } from "../context.js";
import { ensureUser } from "../tenancy/users.js";
import { renderDeviceApproval } from "./device.js";
import { redirect } from "./http.js";
import {
  CLI_CLIENT_ID,
  CODE_TTL_MS,
  type IssuedCode,
  type PendingLogin,
  secretToken,
  storeKeys,
} from "./login-records.js";
import { isLoopbackRedirect } from "./loopback.js";
import { adminRoleFor, tenantAdminFor } from "./roles.js";
import { sendToIdentityProvider } from "./upstream-login.js";

const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

function errorPage(res: Res, status: number, title: string, message: string) {
  sendHtml(res, status, messagePage(title, message, { alert: true }));
}

function redirectWithError(
  res: Res,
  redirectUri: string,
  error: string,
  description: string,
  state?: string,
) {
  const u = new URL(redirectUri);
  u.searchParams.set("error", error);
  u.searchParams.set("error_description", description);
  if (state) u.searchParams.set("state", state);
  redirect(res, u.href);
}

/**
 * handleAuthorize starts a browser login for the CLI. Client and redirect URI are checked first and
 * answered with an error page (never a redirect) when wrong; then PKCE S256 and state are required.
 * Only then is anything stored, and the browser goes on to the identity provider.
 */
export async function handleAuthorize(ctx: AppContext, req: Req, res: Res): Promise<void> {
  const q = new URL(req.url ?? "/", "http://x").searchParams;
  const clientId = q.get("client_id") ?? "";
  const redirectUri = q.get("redirect_uri") ?? "";
  if (clientId !== CLI_CLIENT_ID) {
    return errorPage(res, 400, "Unknown application", `client_id must be "${CLI_CLIENT_ID}".`);
  }
  if (!isLoopbackRedirect(redirectUri)) {
    return errorPage(
      res,
      400,
      "Redirect refused",
      "redirect_uri must be http://127.0.0.1:<port>/callback or http://[::1]:<port>/callback. Nothing was issued.",
    );
  }
  const state = q.get("state") ?? "";
  if (q.get("response_type") !== "code") {
    return redirectWithError(
      res,
      redirectUri,
      "unsupported_response_type",
      "response_type must be code",
      state,
    );
  }
  const challenge = q.get("code_challenge") ?? "";
  if (!challenge || q.get("code_challenge_method") !== "S256") {
    return redirectWithError(
      res,
      redirectUri,
      "invalid_request",
      "PKCE is required: send code_challenge with code_challenge_method=S256",
      state,
    );
  }
  if (!CHALLENGE.test(challenge)) {
    return redirectWithError(res, redirectUri, "invalid_request", "code_challenge is malformed", state);
  }
  if (!state || state.length > 512) {
    return redirectWithError(
      res,
      redirectUri,
      "invalid_request",
      "state is required (at most 512 characters)",
    );
  }
  await sendToIdentityProvider(ctx, res, {
    kind: "authorize",
    clientId,
    redirectUri,
    clientState: state,
    codeChallenge: challenge,
  });
}

/**
 * handleCallback finishes a login at the identity provider: it redeems the provider's code (PKCE,
 * state, nonce, ID-token signature), creates or updates the API user with the role its groups
 * grant, and then either sends a single-use code to the CLI's loopback listener or shows the
 * device approval page.
 */
export async function handleCallback(ctx: AppContext, req: Req, res: Res): Promise<void> {
  const runtime = await ctx.identityRuntime();
  const url = new URL(req.url ?? "/", runtime.baseUrl);
  const state = url.searchParams.get("state") ?? "";
  const pending = state ? await ctx.loginState.take<PendingLogin>(storeKeys.pending(state)) : undefined;
  if (!pending) {
    return errorPage(
      res,
      400,
      "Login expired",
      "This login is unknown, expired or already finished. Start it again.",
    );
  }
  const upstreamError = url.searchParams.get("error");
  if (upstreamError) {
    if (pending.kind === "authorize") {
      return redirectWithError(
        res,
        pending.redirectUri,
        "access_denied",
        "the login was cancelled",
        pending.clientState,
      );
    }
    return errorPage(res, 400, "Login cancelled", "The login was cancelled; the device was not approved.");
  }
  let claims: Awaited<ReturnType<typeof runtime.rp.exchange>>;
  try {
    claims = await runtime.rp.exchange(url, pending.upstream);
  } catch (err) {
    ctx.log.warn("login: identity provider answer rejected", { error: (err as Error).message });
    if (pending.kind === "authorize") {
      return redirectWithError(
        res,
        pending.redirectUri,
        "server_error",
        "the identity provider's answer could not be verified",
        pending.clientState,
      );
    }
    return errorPage(res, 502, "Login failed", "The identity provider's answer could not be verified.");
  }
  const adminRole = adminRoleFor(claims.groups, ctx.config.identity.groupRoles);
  const tenantAdmin = tenantAdminFor(claims.groups, ctx.config.identity.groupRoles);
  try {
    await ensureUser(ctx, {
      id: claims.userId,
      name: claims.name,
      email: claims.email,
      ...(adminRole !== undefined ? { adminRole } : {}),
      ...(tenantAdmin !== undefined ? { tenantAdmin } : {}),
    });
  } catch (err) {
    // A refusal (the personal tenant's id is held by an organisation) is the user's to read, not a 500.
    if (!(err instanceof ConnectError)) throw err;
    ctx.log.warn("login: the user cannot be set up", { user: claims.userId, error: err.rawMessage });
    const why = `${err.rawMessage}. Ask an operator.`;
    if (pending.kind === "authorize") {
      return redirectWithError(res, pending.redirectUri, "access_denied", why, pending.clientState);
    }
    return errorPage(res, 409, "Login refused", why);
  }
  if (pending.kind === "device")
    return renderDeviceApproval(ctx, res, pending.deviceKey, claims.userId, claims.name);
  const code = secretToken();
  const issued: IssuedCode = {
    userId: claims.userId,
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    codeChallenge: pending.codeChallenge,
  };
  await ctx.loginState.put(storeKeys.code(code), issued, CODE_TTL_MS);
  ctx.log.info("login: browser login finished", { user: claims.userId, client: pending.clientId });
  const target = new URL(pending.redirectUri);
  target.searchParams.set("code", code);
  target.searchParams.set("state", pending.clientState);
  redirect(res, target.href);
}
