import type { CredentialStorage } from "../config/store.js";
import { CliError, ExitCode, sessionExpired } from "../errors.js";
import type { CredentialStore, Credentials } from "./credentials.js";
import {
  defaultEndpoints,
  jwtExpiry,
  OAuthError,
  requestToken,
  revokeToken,
  toCredentials,
} from "./oauth.js";

/** REFRESH_MARGIN_MS renews an access token this long before it expires. */
export const REFRESH_MARGIN_MS = 60_000;

/** TokenSource hands out a valid access token for requests. */
export interface TokenSource {
  token(): Promise<string>;
}

/** SessionOptions say whose tokens to use, where they are stored and where the requests go. */
export interface SessionOptions {
  /** The API URL the requests go to (--api-url, METALCTL_API_URL or the context's). */
  apiUrl: string;
  /** The context's API URL: what credentials stored without their own URL are bound to. */
  contextApiUrl: string;
  context: string;
  storage: CredentialStorage;
  store: CredentialStore;
  now: () => Date;
}

/** staticTokenSource always returns the same token (METALCTL_API_TOKEN); it is never renewed. */
export function staticTokenSource(token: string): TokenSource {
  return { token: async () => token };
}

/**
 * createSessionTokenSource reads the context's tokens and renews them silently with the refresh
 * token when the access token expires within REFRESH_MARGIN_MS; renewal failures become
 * "session expired — run `metalctl login`". Tokens go only to the API URL that issued them (as gh
 * binds a token to its host): for any other URL it refuses before anything is sent.
 */
export function createSessionTokenSource(opts: SessionOptions): TokenSource {
  let cached: Promise<string> | undefined;
  const load = async (): Promise<string> => {
    const creds = await opts.store.read(opts.context, opts.storage);
    if (!creds)
      throw new CliError(
        `not logged in to context "${opts.context}"`,
        ExitCode.unauthenticated,
        "run `metalctl login`",
      );
    assertIssuedFor(creds, opts);
    if (!creds.apiUrl) {
      // Written before credentials named their server: bind them now, before the context can move.
      creds.apiUrl = opts.apiUrl;
      await opts.store.write(opts.context, opts.storage, creds);
    }
    if (!expiresSoon(creds, opts.now())) return creds.accessToken;
    if (!creds.refreshToken) throw sessionExpired();
    try {
      const res = await requestToken(defaultEndpoints(opts.apiUrl).token, {
        grant_type: "refresh_token",
        refresh_token: creds.refreshToken,
      });
      const next = toCredentials(res, opts.now(), opts.apiUrl);
      if (!next.refreshToken) next.refreshToken = creds.refreshToken;
      await opts.store.write(opts.context, opts.storage, next);
      return next.accessToken;
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      // Another metalctl process may have renewed (and rotated) the tokens a moment ago.
      const again = await opts.store.read(opts.context, opts.storage);
      if (again && again.accessToken !== creds.accessToken && !expiresSoon(again, opts.now()))
        return again.accessToken;
      throw sessionExpired();
    }
  };
  return {
    token() {
      cached ??= load();
      return cached;
    },
  };
}

/** credentialsUrl is the API URL stored credentials belong to; records without one belong to their context's. */
export function credentialsUrl(creds: Credentials, contextApiUrl: string): string {
  return creds.apiUrl ?? contextApiUrl;
}

/**
 * revokeCredentials asks the server that issued `creds` to revoke them, the long-lived refresh token
 * first; it returns one line per token it could not revoke (those stay valid until they expire).
 */
export async function revokeCredentials(creds: Credentials, contextApiUrl: string): Promise<string[]> {
  const endpoint = defaultEndpoints(credentialsUrl(creds, contextApiUrl)).revocation;
  const failures: string[] = [];
  const tokens: [string | undefined, "refresh_token" | "access_token"][] = [
    [creds.refreshToken, "refresh_token"],
    [creds.accessToken, "access_token"],
  ];
  for (const [token, hint] of tokens) {
    if (!token) continue;
    try {
      await revokeToken(endpoint, token, hint);
    } catch (err) {
      failures.push(`${hint.replace("_", " ")}: ${(err as Error).message}`);
    }
  }
  return failures;
}

function assertIssuedFor(creds: Credentials, opts: SessionOptions): void {
  const issuer = credentialsUrl(creds, opts.contextApiUrl);
  if (issuer === opts.apiUrl) return;
  throw new CliError(
    `the credentials of context "${opts.context}" were issued by ${issuer} and are not sent to ${opts.apiUrl}`,
    ExitCode.unauthenticated,
    `log in there (metalctl login --api-url ${opts.apiUrl} --context NAME) or pass its token in METALCTL_API_TOKEN`,
  );
}

/** expiresSoon tells whether the access token expires within the renewal margin. */
export function expiresSoon(creds: Credentials, now: Date): boolean {
  const exp = creds.expiresAt ? new Date(creds.expiresAt) : jwtExpiry(creds.accessToken);
  if (!exp || Number.isNaN(exp.getTime())) return false;
  return exp.getTime() - now.getTime() < REFRESH_MARGIN_MS;
}
