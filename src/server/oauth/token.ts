import { createHash, timingSafeEqual } from "node:crypto";
import { type Req, type Res, readForm } from "../../shared/http.js";
import type { AppContext } from "../context.js";
import { remainingMs } from "./device.js";
import { sendJson } from "./http.js";
import { CLI_CLIENT_ID, type DeviceRecord, digest, type IssuedCode, storeKeys } from "./login-records.js";

/** DEVICE_GRANT is the RFC 8628 grant type. */
export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

interface PollState {
  interval: number;
  lastPollAt: string;
}

function oauthError(res: Res, status: number, error: string, description: string) {
  sendJson(res, status, { error, error_description: description });
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function sendSession(ctx: AppContext, res: Res, userId: string) {
  const session = await ctx.tokens.issueUserSession(userId, { client: CLI_CLIENT_ID });
  sendJson(res, 200, {
    access_token: session.accessToken,
    token_type: "Bearer",
    expires_in: Math.max(0, Math.floor((session.accessExpiresAt.getTime() - ctx.now().getTime()) / 1000)),
    refresh_token: session.refreshToken,
  });
}

/**
 * handleToken is the token endpoint of the public client `metalctl`: authorization codes (single
 * use, PKCE S256, same redirect URI), refresh tokens (rotating) and device codes (RFC 8628 with
 * authorization_pending, slow_down, expired_token and access_denied).
 */
export async function handleToken(ctx: AppContext, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  if (form.get("client_id") !== CLI_CLIENT_ID) {
    return oauthError(res, 401, "invalid_client", `client_id must be "${CLI_CLIENT_ID}"`);
  }
  const grant = form.get("grant_type") ?? "";
  if (grant === "authorization_code") {
    const code = form.get("code") ?? "";
    // Taken (deleted) before any check: a code is gone after its first use, whatever the outcome.
    const issued = code ? await ctx.loginState.take<IssuedCode>(storeKeys.code(code)) : undefined;
    if (!issued) return oauthError(res, 400, "invalid_grant", "the code is unknown, expired or already used");
    if (issued.clientId !== CLI_CLIENT_ID || issued.redirectUri !== form.get("redirect_uri")) {
      return oauthError(
        res,
        400,
        "invalid_grant",
        "redirect_uri differs from the one of the authorization request",
      );
    }
    const verifier = form.get("code_verifier") ?? "";
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameString(s256(verifier), issued.codeChallenge)) {
      return oauthError(res, 400, "invalid_grant", "code_verifier does not match the code_challenge");
    }
    return sendSession(ctx, res, issued.userId);
  }
  if (grant === "refresh_token") {
    const refresh = form.get("refresh_token") ?? "";
    if (!refresh) return oauthError(res, 400, "invalid_request", "refresh_token is required");
    try {
      const session = await ctx.tokens.refreshUserSession(refresh);
      return sendJson(res, 200, {
        access_token: session.accessToken,
        token_type: "Bearer",
        expires_in: Math.max(0, Math.floor((session.accessExpiresAt.getTime() - ctx.now().getTime()) / 1000)),
        refresh_token: session.refreshToken,
      });
    } catch {
      return oauthError(
        res,
        400,
        "invalid_grant",
        "the refresh token is invalid, expired or revoked; log in again",
      );
    }
  }
  if (grant === DEVICE_GRANT) return pollDevice(ctx, res, form.get("device_code") ?? "");
  return oauthError(
    res,
    400,
    "unsupported_grant_type",
    "grant_type must be authorization_code, refresh_token or device_code",
  );
}

async function pollDevice(ctx: AppContext, res: Res, deviceCode: string): Promise<void> {
  const deviceKey = digest(deviceCode);
  const record = deviceCode ? await ctx.loginState.get<DeviceRecord>(storeKeys.device(deviceKey)) : undefined;
  if (!record) return oauthError(res, 400, "invalid_grant", "the device code is unknown");
  const now = ctx.now();
  if (new Date(record.expiresAt) <= now) {
    return oauthError(res, 400, "expired_token", "the device code expired; start the login again");
  }
  const pollKey = `devicepoll:${deviceKey}`;
  const poll = await ctx.loginState.get<PollState>(pollKey);
  const interval = poll?.interval ?? record.interval;
  if (poll && now.getTime() - new Date(poll.lastPollAt).getTime() < interval * 1000) {
    await ctx.loginState.put(
      pollKey,
      { interval: interval + 5, lastPollAt: now.toISOString() },
      remainingMs(ctx, record),
    );
    return oauthError(res, 400, "slow_down", `poll at most every ${interval + 5} seconds`);
  }
  await ctx.loginState.put(pollKey, { interval, lastPollAt: now.toISOString() }, remainingMs(ctx, record));
  if (record.status === "pending") {
    return oauthError(res, 400, "authorization_pending", "the code was not approved yet");
  }
  // Exactly one poll redeems a decided code.
  const decided = await ctx.loginState.take<DeviceRecord>(storeKeys.device(deviceKey));
  if (!decided) return oauthError(res, 400, "invalid_grant", "the device code was already used");
  if (decided.status === "denied" || !decided.userId) {
    return oauthError(res, 400, "access_denied", "the person denied the device access");
  }
  return sendSession(ctx, res, decided.userId);
}

/** handleRevoke revokes an access or refresh token (RFC 7009); unknown tokens are not an error. */
export async function handleRevoke(ctx: AppContext, req: Req, res: Res): Promise<void> {
  const form = await readForm(req);
  const token = form.get("token") ?? "";
  if (!token) return oauthError(res, 400, "invalid_request", "token is required");
  await ctx.tokens.revokeTokenString(token);
  res.writeHead(200, { "cache-control": "no-store" });
  res.end();
}
