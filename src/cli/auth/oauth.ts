import { API_MARKER } from "../../shared/server-identity.js";
import { CliError, ExitCode } from "../errors.js";
import type { Credentials } from "./credentials.js";

/** CLIENT_ID is metalctl's public OAuth client id. */
export const CLIENT_ID = "metalctl";

/** OAuthEndpoints are the authorization server endpoints the CLI uses. */
export interface OAuthEndpoints {
  authorization: string;
  token: string;
  device: string;
  revocation: string;
}

/** TokenResponse is a successful OAuth token endpoint answer. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
}

/** OAuthError is an OAuth error answer (`invalid_grant`, `authorization_pending`, …). */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(description ? `${error}: ${description}` : error);
    this.name = "OAuthError";
  }
}

/** defaultEndpoints are the login contract's paths under the API URL. */
export function defaultEndpoints(apiUrl: string): OAuthEndpoints {
  return {
    authorization: `${apiUrl}/auth/authorize`,
    token: `${apiUrl}/auth/token`,
    device: `${apiUrl}/auth/device/code`,
    revocation: `${apiUrl}/auth/revoke`,
  };
}

/**
 * serverMetadata reads `/.well-known/oauth-authorization-server` and stops unless it is a metal-apiserver's
 * (see API_MARKER): a server of another kind would misread every request the CLI sends.
 */
export async function serverMetadata(apiUrl: string): Promise<Record<string, unknown>> {
  const res = await request(`${apiUrl}/.well-known/oauth-authorization-server`, { method: "GET" });
  const notOurs = (why: string) =>
    new CliError(
      `${apiUrl} is not a metal-apiserver: ${why}`,
      ExitCode.usage,
      "check --api-url; metalctl talks only to this project's metal-apiserver (not metal-stack's own API)",
    );
  // A metal-apiserver serves its metadata to anyone; only a failing one (or its proxy) answers 5xx.
  if (res.status === 404) throw notOurs("it has no /.well-known/oauth-authorization-server");
  if (res.status >= 500)
    throw new CliError(`authorization server metadata: HTTP ${res.status}`, ExitCode.unavailable);
  if (!res.ok) throw notOurs(`it answers HTTP ${res.status} to /.well-known/oauth-authorization-server`);
  const meta: unknown = await res.json().catch(() => undefined);
  if (typeof meta !== "object" || meta === null || Array.isArray(meta))
    throw notOurs("its authorization server metadata is not a JSON object");
  if ((meta as Record<string, unknown>)[API_MARKER.field] !== API_MARKER.value)
    throw notOurs(`its authorization server metadata does not name the ${API_MARKER.value} API`);
  return meta as Record<string, unknown>;
}

/**
 * discoverEndpoints reads the server's metadata (refusing a server that is not a metal-apiserver).
 * Endpoints that receive secrets must stay on the API server's origin, so a tampered document cannot
 * redirect tokens.
 */
export async function discoverEndpoints(apiUrl: string): Promise<OAuthEndpoints> {
  const fallback = defaultEndpoints(apiUrl);
  const meta = await serverMetadata(apiUrl);
  const origin = new URL(apiUrl).origin;
  const pick = (key: string, dflt: string) => {
    const v = meta[key];
    if (typeof v !== "string") return dflt;
    if (new URL(v).origin !== origin) {
      throw new CliError(
        `authorization server metadata points ${key} to another origin (${new URL(v).origin})`,
        1,
        "check --api-url",
      );
    }
    return v;
  };
  return {
    authorization: pick("authorization_endpoint", fallback.authorization),
    token: pick("token_endpoint", fallback.token),
    device: pick("device_authorization_endpoint", fallback.device),
    revocation: pick("revocation_endpoint", fallback.revocation),
  };
}

/** postForm posts an urlencoded form to an OAuth endpoint and returns the JSON answer or an OAuthError. */
export async function postForm(endpoint: string, params: Record<string, string>): Promise<unknown> {
  const res = await request(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ client_id: CLIENT_ID, ...params }).toString(),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // A non-JSON body is reported by status below.
  }
  if (!res.ok) {
    const error = typeof body.error === "string" ? body.error : `http_${res.status}`;
    const desc = typeof body.error_description === "string" ? body.error_description : undefined;
    throw new OAuthError(error, desc, res.status);
  }
  return body;
}

/** requestToken calls the token endpoint with one grant and checks the answer's shape. */
export async function requestToken(endpoint: string, params: Record<string, string>): Promise<TokenResponse> {
  const body = (await postForm(endpoint, params)) as Partial<TokenResponse>;
  if (typeof body.access_token !== "string" || !body.access_token) {
    throw new CliError("the token endpoint answered without an access_token", 1);
  }
  return body as TokenResponse;
}

/** toCredentials turns a token answer from `apiUrl` into stored credentials bound to it, with an absolute expiry. */
export function toCredentials(res: TokenResponse, now: Date, apiUrl: string): Credentials {
  const creds: Credentials = { accessToken: res.access_token, apiUrl };
  if (res.refresh_token) creds.refreshToken = res.refresh_token;
  if (typeof res.expires_in === "number" && res.expires_in > 0) {
    creds.expiresAt = new Date(now.getTime() + res.expires_in * 1000).toISOString();
  } else {
    const exp = jwtExpiry(res.access_token);
    if (exp) creds.expiresAt = exp.toISOString();
  }
  return creds;
}

/** revokeToken asks the server to revoke a token (RFC 7009). */
export async function revokeToken(endpoint: string, token: string, hint?: "access_token" | "refresh_token") {
  await postForm(endpoint, hint ? { token, token_type_hint: hint } : { token });
}

/** jwtExpiry reads the `exp` claim of a JWT without verifying it (only to schedule renewal). */
export function jwtExpiry(token: string): Date | undefined {
  const claims = jwtClaims(token);
  return typeof claims?.exp === "number" ? new Date(claims.exp * 1000) : undefined;
}

/** jwtClaims decodes a JWT's payload without verifying it; undefined for opaque tokens. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new CliError(
      `cannot reach ${new URL(url).origin} (${cause})`,
      ExitCode.unavailable,
      "check --api-url and your connection",
    );
  }
}
