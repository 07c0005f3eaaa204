/**
 * KEEP_AFTER_EXPIRY_MS is how long both stores keep the record of an expired token or ended session:
 * `get` still returns it, so a token presented again is refused as expired rather than unknown.
 */
export const KEEP_AFTER_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;

/** PermissionGrant allows calling `methods` (Connect procedure paths) on `subject` (id or "*"). */
export interface PermissionGrant {
  subject: string;
  methods: string[];
}

/** TokenRecord is the server-side state of one token: who it acts for and what it grants. */
export interface TokenRecord {
  /** The JWT's `jti`. */
  id: string;
  userId: string;
  /** "user": login session, carries all the user's roles; "api": explicit grants only. */
  kind: "user" | "api";
  description: string;
  permissions: PermissionGrant[];
  /** Project id → ProjectRole enum value. */
  projectRoles: Record<string, number>;
  /** Tenant id → TenantRole enum value. */
  tenantRoles: Record<string, number>;
  /** AdminRole enum value, 0 for none. */
  adminRole: number;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  /** The token as first issued; a refresh hands its lineage on, so revoking either ends both. */
  lineageId: string;
  /** Lineage of the API token that created this one, when an API token created it. */
  parentId?: string;
  /** Latest expiry this token may ever have: the creating API token's, or a user token's session end. */
  notAfter?: Date;
  /** Login session this user token belongs to. */
  sessionId?: string;
  /** Increases on every update; updates name the generation they read. */
  generation: number;
}

/** RefreshRecord is one opaque refresh token of a login session, known only by its hash. */
export interface RefreshRecord {
  hash: string;
  sessionId: string;
  userId: string;
  client: string;
  issuedAt: Date;
  /** Absolute end of the session. */
  expiresAt: Date;
  usedAt?: Date;
  revokedAt?: Date;
}

/** RevokeFilter selects the tokens to revoke: one token, a lineage (a token and its refreshed successors), a user's or a session's. */
export type RevokeFilter =
  | { id: string }
  | { lineageId: string }
  | { userId: string }
  | { sessionId: string };

/**
 * TokenStore keeps token grants keyed by token id, and the refresh tokens of login sessions.
 * Implementations: SQL (embedded default, `sql-token-store.ts`) and Redis for several replicas.
 */
export interface TokenStore {
  /** insert stores a new token. */
  insert(record: TokenRecord): Promise<void>;
  /** get returns a token, revoked or expired ones included, or undefined. */
  get(id: string): Promise<TokenRecord | undefined>;
  /** list returns the unrevoked, unexpired tokens, of one user when `userId` is given. */
  list(filter: { userId?: string; now: Date }): Promise<TokenRecord[]>;
  /** update replaces a token when its stored generation equals `expectedGeneration`; false otherwise. */
  update(record: TokenRecord, expectedGeneration: number): Promise<boolean>;
  /** revoke marks the selected unrevoked tokens as revoked at `at` and returns how many it hit. */
  revoke(filter: RevokeFilter, at: Date): Promise<number>;
  /** children returns the tokens an API token of lineage `lineageId` created, revoked and expired ones included. */
  children(lineageId: string): Promise<TokenRecord[]>;
  /** getRefresh returns a refresh token by hash without using it, or undefined. */
  getRefresh(hash: string): Promise<RefreshRecord | undefined>;
  /** insertRefresh stores a new refresh token. */
  insertRefresh(record: RefreshRecord): Promise<void>;
  /**
   * useRefresh atomically marks a refresh token used and returns it with `reused` true when it had
   * been used (or revoked) before; undefined when unknown.
   */
  useRefresh(hash: string, at: Date): Promise<{ record: RefreshRecord; reused: boolean } | undefined>;
  /** revokeSession revokes every refresh token and user token of one login session. */
  revokeSession(sessionId: string, at: Date): Promise<void>;
  /** revokeRefreshOfUser revokes every refresh token of a user (sign out everywhere). */
  revokeRefreshOfUser(userId: string, at: Date): Promise<number>;
  /**
   * prune removes tokens that expired before `tokensBefore` and refresh tokens of sessions that ended
   * before `refreshBefore`, revoked ones included: a revocation goes only with a record that can no
   * longer authenticate anyway, never while its token is still valid. Returns what it removed (Redis
   * drops records itself, KEEP_AFTER_EXPIRY_MS after expiry, and reports the index entries it trimmed).
   */
  prune(cutoff: PruneCutoff): Promise<PruneCounts>;
}

/** PruneCutoff says which records TokenStore.prune may remove. */
export interface PruneCutoff {
  /** Tokens whose expiry lies before this. */
  tokensBefore: Date;
  /** Refresh tokens whose session ended before this. */
  refreshBefore: Date;
}

/** PruneCounts are what one TokenStore.prune removed. */
export interface PruneCounts {
  tokens: number;
  refreshTokens: number;
}
