import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { compactVerify, decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import type { Principal } from "../auth/principal.js";
import { createMemberships, type Memberships } from "../authz/memberships.js";
import type { AppContext } from "../context.js";
import { createSigningKeys, JWT_ALG, type SigningKeys } from "./signing-keys.js";
import { createSqlTokenStore } from "./sql-token-store.js";
import { clampExpiry, type Issuer } from "./subset-rule.js";
import type { PermissionGrant, TokenRecord, TokenStore } from "./token-store.js";

/** JWT_AUDIENCE is the `aud` of every token the server issues and the only one it accepts. */
export const JWT_AUDIENCE = "metal-apiserver";

/** REFRESH_LIFETIME_MS is the absolute lifetime of a login session; rotation never extends it. */
const REFRESH_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

const REFRESH_PREFIX = "mrt_";

const VERIFIED_CACHE_SIZE = 10_000;

/** KEY_ROTATION_MS is the age after which the signing key is replaced; old keys keep verifying. */
const KEY_ROTATION_MS = 30 * 24 * 60 * 60 * 1000;

/** UserSession is the result of a login or a refresh: a user JWT and the opaque refresh token of its session. */
export interface UserSession {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

/** ApiTokenInput describes an API token minted without caller checks (server-internal use and bootstrap). */
export interface ApiTokenInput {
  userId: string;
  description: string;
  permissions?: PermissionGrant[];
  projectRoles?: Record<string, number>;
  tenantRoles?: Record<string, number>;
  adminRole?: number;
  expiresAt: Date;
  /** The API token that creates this one: the new token joins its lineage's descendants and never outlives it. */
  parent?: TokenRecord;
}

/** Authenticated is a verified token: the caller and the server-side record with its grants. */
export interface Authenticated {
  principal: Principal;
  record: TokenRecord;
  /** When the presented token stops working: its own expiry or its record's, whichever comes first. */
  expiresAt: Date;
}

/** Tokens issues, verifies and revokes tokens; hung on the app context as `ctx.tokens`. */
export interface Tokens {
  store: TokenStore;
  keys: SigningKeys;
  /** Users' current roles, cached briefly; shared by authorization and the token service. */
  memberships: Memberships;
  /** issueUserSession starts a login session: a user token (config.userTokenLifetimeMs) and a refresh token (30 days). */
  issueUserSession(userId: string, opts?: { client?: string }): Promise<UserSession>;
  /** refreshUserSession rotates a refresh token; reusing a rotated one revokes the whole session. */
  refreshUserSession(refreshToken: string): Promise<UserSession>;
  /** revokeTokenString revokes an access token or a refresh token (with its session); false when unknown. */
  revokeTokenString(token: string): Promise<boolean>;
  /**
   * issueApiToken mints an API token without checking the caller (the subset rule is the caller's
   * job); the secret is returned only here. It fails when the parent was revoked meanwhile.
   */
  issueApiToken(input: ApiTokenInput): Promise<{ secret: string; token: TokenRecord }>;
  /**
   * replace stores `next` in place of `old` (a refresh) and revokes `old`; when `old` was revoked
   * meanwhile (or replaced by a concurrent refresh), `next` is revoked too and it fails Unauthenticated.
   */
  replace(old: TokenRecord, next: TokenRecord): Promise<void>;
  /**
   * revoke revokes a token with its lineage and every token created from it, transitively, and a login
   * token's whole session (its refresh tokens too), and tells open streams; it returns how many token
   * records it revoked.
   */
  revoke(record: TokenRecord): Promise<number>;
  /** revokeUser revokes every token and refresh token of a user and tells open streams. */
  revokeUser(userId: string): Promise<number>;
  /**
   * revokeUserSessions ends every login session of a user (refresh tokens and login tokens) and leaves
   * the API tokens alone; it returns how many login tokens it revoked.
   */
  revokeUserSessions(userId: string): Promise<number>;
  /** descendants returns the lineages of the tokens an API token lineage created, transitively. */
  descendants(lineageId: string): Promise<Set<string>>;
  /** current reads a token's record afresh and fails Unauthenticated when it is unknown, revoked or expired. */
  current(tokenId: string): Promise<TokenRecord>;
  /** sign returns the JWT for a stored token record. */
  sign(record: TokenRecord): Promise<string>;
  /** authenticate verifies a bearer JWT against keys, issuer, audience, expiry and the token store. */
  authenticate(jwt: string): Promise<Authenticated>;
}

/** TokensOptions replace the defaults, e.g. a Redis token store. */
export interface TokensOptions {
  store?: TokenStore;
}

/** unauthenticated builds the error for any token problem; it always tells the caller how to recover. */
export function unauthenticated(why: string): ConnectError {
  return new ConnectError(
    `${why}; log in again (metalctl login) or use a valid API token`,
    Code.Unauthenticated,
  );
}

/** hashRefreshToken returns the stored form of a refresh token. */
function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * createTokens builds the token service over the app context. `getCtx` is read lazily so the service
 * can be created while the context object is being built.
 */
export function createTokens(getCtx: () => AppContext, opts: TokensOptions = {}): Tokens {
  let store: TokenStore | undefined = opts.store;
  let keys: SigningKeys | undefined;
  let memberships: Memberships | undefined;
  const ctx = getCtx;
  const now = () => ctx().now();
  // Signature checks of exact token strings already verified; expiry and revocation are still
  // checked on every request against the stored record, and the key must still be usable.
  const verified = new Map<
    string,
    { kid: string; sub?: string; jti?: string; typ?: unknown; exp?: number }
  >();

  const tokens: Tokens = {
    get store() {
      store ??= createSqlTokenStore(ctx().db);
      return store;
    },
    get keys() {
      keys ??= createSigningKeys(
        ctx().db,
        now,
        { rotateAfterMs: KEY_ROTATION_MS, overlapMs: () => ctx().config.maxTokenLifetimeMs },
        ctx().config.signingKeySecret,
      );
      return keys;
    },
    get memberships() {
      memberships ??= createMemberships(ctx());
      return memberships;
    },

    async sign(record) {
      const key = await tokens.keys.active();
      return new SignJWT({ typ: record.kind })
        .setProtectedHeader({ alg: JWT_ALG, kid: key.kid, typ: "JWT" })
        .setIssuer(ctx().config.publicUrl)
        .setAudience(JWT_AUDIENCE)
        .setSubject(record.userId)
        .setJti(record.id)
        .setIssuedAt(Math.floor(record.issuedAt.getTime() / 1000))
        .setExpirationTime(Math.floor(record.expiresAt.getTime() / 1000))
        .sign(key.privateKey);
    },

    async authenticate(jwt) {
      // The exact string was verified before: its header (kid) and claims are known, only the key's
      // current validity is checked again (a key past its verification window stops every token).
      let claims = verified.get(jwt);
      const kid = claims ? claims.kid : headerKid(jwt);
      const key = await tokens.keys.publicKey(kid);
      if (!key) throw unauthenticated("token is signed by an unknown key");
      if (!claims) {
        try {
          const res = await jwtVerify(jwt, key, {
            algorithms: [JWT_ALG],
            issuer: ctx().config.publicUrl,
            audience: JWT_AUDIENCE,
            currentDate: now(),
            requiredClaims: ["sub", "jti", "exp", "iat"],
          });
          claims = {
            kid,
            sub: res.payload.sub,
            jti: res.payload.jti,
            typ: res.payload.typ,
            exp: res.payload.exp,
          };
        } catch (err) {
          if (err instanceof errors.JWTExpired) throw unauthenticated("token expired");
          // The signature is ours, so this is a misconfiguration (token create run with other settings).
          if (err instanceof errors.JWTClaimValidationFailed && err.claim === "iss") {
            throw unauthenticated(
              `token was issued for ${String(err.payload.iss)}, but this server is ${ctx().config.publicUrl}; create tokens with the server's --public-url (or --listen)`,
            );
          }
          throw unauthenticated("token is invalid");
        }
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.clear();
        verified.set(jwt, claims);
      }
      const record = claims.jti ? await tokens.store.get(claims.jti) : undefined;
      if (!record || record.userId !== claims.sub || record.kind !== claims.typ) {
        throw unauthenticated("token is unknown to this server");
      }
      usable(record);
      // A verified token string skips the signature check, not its own expiry.
      const expiresAt = new Date(Math.min((claims.exp ?? 0) * 1000, record.expiresAt.getTime()));
      if (expiresAt.getTime() <= now().getTime()) {
        verified.delete(jwt);
        throw unauthenticated("token expired");
      }
      return {
        principal: { userId: record.userId, tokenId: record.id, kind: record.kind },
        record,
        expiresAt,
      };
    },

    async current(tokenId) {
      const record = await tokens.store.get(tokenId);
      if (!record) throw unauthenticated("token is unknown to this server");
      return usable(record);
    },

    async issueUserSession(userId, opts = {}) {
      const at = now();
      const sessionId = randomUUID();
      const refreshExpiresAt = new Date(at.getTime() + REFRESH_LIFETIME_MS);
      const refreshToken = await newRefreshToken(sessionId, userId, opts.client ?? "", at, refreshExpiresAt);
      return {
        ...(await newUserToken(userId, sessionId, refreshExpiresAt, at)),
        refreshToken,
        refreshExpiresAt,
      };
    },

    async refreshUserSession(refreshToken) {
      const at = now();
      const used = refreshToken.startsWith(REFRESH_PREFIX)
        ? await tokens.store.useRefresh(hashRefreshToken(refreshToken), at)
        : undefined;
      if (!used) throw unauthenticated("refresh token is unknown");
      const { record, reused } = used;
      if (reused) {
        // A rotated refresh token came back: someone holds a copy, so the whole session goes.
        await revokeSession(record.sessionId, record.userId, at);
        ctx().log.warn("refresh token reused; session revoked", { userId: record.userId });
        throw unauthenticated("refresh token was already used or revoked; the session is ended");
      }
      if (record.expiresAt.getTime() <= at.getTime()) throw unauthenticated("session expired");
      if (!(await tokens.memberships.holdings(record.userId))) throw unauthenticated("user no longer exists");
      const next = await newRefreshToken(
        record.sessionId,
        record.userId,
        record.client,
        at,
        record.expiresAt,
      );
      const access = await newUserToken(record.userId, record.sessionId, record.expiresAt, at);
      // A revocation (logout, logout --all, Revoke) that ran between the exchange above and the inserts
      // could not see the new tokens, but it marked the used refresh token revoked: look again.
      if ((await tokens.store.getRefresh(record.hash))?.revokedAt) {
        await revokeSession(record.sessionId, record.userId, now());
        throw unauthenticated("the session was ended while it was being refreshed");
      }
      return { ...access, refreshToken: next, refreshExpiresAt: record.expiresAt };
    },

    async revokeTokenString(token) {
      const at = now();
      if (token.startsWith(REFRESH_PREFIX)) {
        const record = await tokens.store.getRefresh(hashRefreshToken(token));
        if (!record) return false;
        await revokeSession(record.sessionId, record.userId, at);
        return true;
      }
      const jti = await verifiedJti(token);
      if (!jti) return false;
      const record = await tokens.store.get(jti);
      if (!record) return false;
      if (record.sessionId) await revokeSession(record.sessionId, record.userId, at);
      else await tokens.revoke(record);
      return true;
    },

    async issueApiToken(input) {
      const id = randomUUID();
      const record: TokenRecord = {
        id,
        lineageId: id,
        userId: input.userId,
        kind: "api",
        description: input.description,
        permissions: input.permissions ?? [],
        projectRoles: input.projectRoles ?? {},
        tenantRoles: input.tenantRoles ?? {},
        adminRole: input.adminRole ?? 0,
        issuedAt: now(),
        expiresAt: input.expiresAt,
        parentId: input.parent?.lineageId,
        notAfter: input.parent?.expiresAt,
        generation: 1,
      };
      await tokens.store.insert(record);
      // A revocation of the parent that ran before the insert could not see this child: look again.
      if (input.parent && (await tokens.store.get(input.parent.id))?.revokedAt) {
        await tokens.store.revoke({ id: record.id }, now());
        throw unauthenticated("token was revoked");
      }
      return { secret: await tokens.sign(record), token: record };
    },

    async replace(old, next) {
      await tokens.store.insert(next);
      if ((await tokens.store.revoke({ id: old.id }, now())) === 0) {
        await tokens.store.revoke({ id: next.id }, now());
        throw unauthenticated(`token "${old.id}" was revoked or already refreshed`);
      }
    },

    async revoke(record) {
      const at = now();
      let n = await tokens.store.revoke({ id: record.id }, at);
      // A login token ends with its session: its refresh token must not mint a new one.
      if (record.sessionId) await tokens.store.revokeSession(record.sessionId, at);
      for (const lineageId of [record.lineageId, ...(await tokens.descendants(record.lineageId))]) {
        n += await tokens.store.revoke({ lineageId }, at);
      }
      ctx().accessChanges.emit({ kind: "revocation", userId: record.userId });
      return n;
    },

    async revokeUser(userId) {
      const at = now();
      // Refresh tokens first: a refresh under way then either sees its refresh token revoked, or
      // stored its new login token before the revocation below reads the user's tokens.
      await tokens.store.revokeRefreshOfUser(userId, at);
      const n = await tokens.store.revoke({ userId }, at);
      ctx().accessChanges.emit({ kind: "revocation", userId });
      return n;
    },

    async revokeUserSessions(userId) {
      const at = now();
      // Refresh tokens first, so no session mints a login token after the list below was read.
      await tokens.store.revokeRefreshOfUser(userId, at);
      let n = 0;
      for (const r of await tokens.store.list({ userId, now: at })) {
        if (r.kind === "user") n += await tokens.store.revoke({ id: r.id }, at);
      }
      ctx().accessChanges.emit({ kind: "revocation", userId });
      return n;
    },

    async descendants(lineageId) {
      const found = new Set<string>();
      for (let frontier = [lineageId]; frontier.length > 0; ) {
        const next: string[] = [];
        for (const parent of frontier) {
          for (const child of await tokens.store.children(parent)) {
            if (child.lineageId === lineageId || found.has(child.lineageId)) continue;
            found.add(child.lineageId);
            next.push(child.lineageId);
          }
        }
        frontier = next;
      }
      return found;
    },
  };

  function headerKid(jwt: string): string {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(jwt).kid;
    } catch {
      throw unauthenticated("token is not a valid JWT");
    }
    if (!kid) throw unauthenticated("token has no key id");
    return kid;
  }

  function usable(record: TokenRecord): TokenRecord {
    if (record.revokedAt) throw unauthenticated("token was revoked");
    if (record.expiresAt.getTime() <= now().getTime()) throw unauthenticated("token expired");
    return record;
  }

  async function revokeSession(sessionId: string, userId: string, at: Date) {
    await tokens.store.revokeSession(sessionId, at);
    ctx().accessChanges.emit({ kind: "revocation", userId });
  }

  // A user token holds all of its user's roles and never outlives its login session.
  async function newUserToken(userId: string, sessionId: string, sessionEnd: Date, at: Date) {
    const id = randomUUID();
    const login: Issuer = { via: "login", userId, sessionEnd };
    const expiresAt = clampExpiry(
      new Date(at.getTime() + ctx().config.userTokenLifetimeMs),
      login,
      { kind: "user" },
      at,
      ctx().config,
    );
    const record: TokenRecord = {
      id,
      lineageId: id,
      userId,
      kind: "user",
      description: "login session",
      permissions: [],
      projectRoles: {},
      tenantRoles: {},
      adminRole: 0,
      issuedAt: at,
      expiresAt,
      notAfter: sessionEnd,
      sessionId,
      generation: 1,
    };
    await tokens.store.insert(record);
    return { accessToken: await tokens.sign(record), accessExpiresAt: record.expiresAt };
  }

  async function newRefreshToken(sessionId: string, userId: string, client: string, at: Date, end: Date) {
    const token = REFRESH_PREFIX + randomBytes(32).toString("base64url");
    await tokens.store.insertRefresh({
      hash: hashRefreshToken(token),
      sessionId,
      userId,
      client,
      issuedAt: at,
      expiresAt: end,
    });
    return token;
  }

  // For revocation an expired token still counts, but only if we signed it.
  async function verifiedJti(token: string): Promise<string | undefined> {
    try {
      const kid = decodeProtectedHeader(token).kid;
      const key = kid ? await tokens.keys.publicKey(kid) : undefined;
      if (!key) return undefined;
      await compactVerify(token, key, { algorithms: [JWT_ALG] });
      return decodeJwt(token).jti;
    } catch {
      return undefined;
    }
  }

  return tokens;
}
