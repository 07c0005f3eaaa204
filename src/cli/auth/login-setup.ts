import { type Token, TokenService } from "../../gen/metalstack/api/v2/token_pb.js";
import type { User } from "../../gen/metalstack/api/v2/user_pb.js";
import { UserService } from "../../gen/metalstack/api/v2/user_pb.js";
import type { CliConfig, ContextConfig, CredentialStorage } from "../config/store.js";
import { upsertContext } from "../config/store.js";
import type { Deps } from "../deps.js";
import { isConnectError } from "../errors.js";
import { probeKeychain } from "./keychain.js";
import { jwtClaims } from "./oauth.js";

/** PERMISSION_DENIED is the Connect code of a token that may not call a method. */
const PERMISSION_DENIED = 7;
/** UNIMPLEMENTED is the Connect code of a method the server does not offer (an older server). */
const UNIMPLEMENTED = 12;

/** fetchUser asks the server who the token belongs to; undefined when the token may not call whoami. */
export async function fetchUser(deps: Deps, apiUrl: string, token: string): Promise<User | undefined> {
  try {
    return (await deps.clientFor(UserService, apiUrl, token).get({})).user;
  } catch (err) {
    if (isConnectError(err) && err.code === PERMISSION_DENIED) return undefined;
    throw err;
  }
}

/** ApiTokenIdentity is what `whoami` knows of an API token: its ID and owner from the JWT, the record if readable. */
export interface ApiTokenIdentity {
  id: string;
  owner: string;
  /** The token's record (description, expiry, grants), unless the server cannot show it. */
  record?: Token;
}

/** isApiToken tells from its claims whether a token is an API token (not a login token). */
export function isApiToken(token: string): boolean {
  return jwtClaims(token)?.typ === "api";
}

/**
 * currentApiToken reads the presented API token's own record (TokenService/GetCurrent, which every
 * token may call); undefined for a login token or a server without the method.
 */
export async function currentApiToken(deps: Deps, apiUrl: string, token: string): Promise<Token | undefined> {
  if (!isApiToken(token)) return undefined;
  try {
    return (await deps.clientFor(TokenService, apiUrl, token).getCurrent({})).token;
  } catch (err) {
    if (isConnectError(err) && err.code === UNIMPLEMENTED) return undefined;
    throw err;
  }
}

/** apiTokenIdentity reads an API token's ID and owner from its claims and its record from the server. */
export async function apiTokenIdentity(
  deps: Deps,
  apiUrl: string,
  token: string,
): Promise<ApiTokenIdentity | undefined> {
  const claims = jwtClaims(token);
  if (claims?.typ !== "api" || typeof claims.jti !== "string" || typeof claims.sub !== "string")
    return undefined;
  const identity: ApiTokenIdentity = { id: claims.jti, owner: claims.sub };
  const record = await currentApiToken(deps, apiUrl, token);
  if (record) identity.record = record;
  return identity;
}

/** chooseStorage probes the OS keychain unless the file is forced; it warns once when falling back. */
export async function chooseStorage(deps: Deps, insecure: boolean): Promise<CredentialStorage> {
  if (insecure) return "file";
  if (await probeKeychain(deps.keychain)) return "keychain";
  deps.io.err(
    `Warning: no usable OS keychain; the credentials are stored in ${deps.credentials.fallbackPath} (mode 0600). ` +
      "Use --insecure-storage to choose this explicitly.",
  );
  return "file";
}

/**
 * pickDefaultProject keeps a still-usable default project, takes the only project, or asks on a
 * terminal; otherwise it leaves the default unset.
 */
export async function pickDefaultProject(
  deps: Deps,
  user: User | undefined,
  current?: string,
): Promise<string | undefined> {
  if (!user) return current;
  const projects = user.projects;
  if (current && projects.some((p) => p.project === current)) return current;
  if (projects.length === 1) return projects[0]!.project;
  if (projects.length > 1 && deps.io.canPrompt) {
    return deps.prompter.pick(
      "Default project for this context",
      projects.map((p) => ({
        name: `${p.name} (${p.project})`,
        value: p.project,
        description: `tenant ${p.tenant}`,
      })),
    );
  }
  return undefined;
}

/** contextAfterLogin updates or creates the context, makes it current and records the storage. */
export function contextAfterLogin(config: CliConfig, ctx: ContextConfig): CliConfig {
  const next = upsertContext(config, ctx);
  if (config.current === ctx.name) return next;
  return { ...next, current: ctx.name, ...(config.current ? { previous: config.current } : {}) };
}

/** contextNameFor derives a context name from an API URL's host, e.g. "api.example.com" or "127.0.0.1-8080". */
export function contextNameFor(apiUrl: string): string {
  return new URL(apiUrl).host.replace(/[[\]]/g, "").replace(/:/g, "-");
}
