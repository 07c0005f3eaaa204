/** SigningKeyRow is one ES256 key pair the server signs JWTs with; retired keys verify until `verify_until`. */
export interface SigningKeyRow {
  kid: string;
  alg: string;
  /**
   * Private key: an AES-256-GCM envelope (`enc:v1:…`, see shared/key-encryption.ts) when a signing-key
   * secret is set, else JWK JSON; the server encrypts plain rows at start once a secret is set.
   */
  private_jwk: string;
  /** Public key as JWK JSON, published at /.well-known/jwks.json. */
  public_jwk: string;
  created_at: string;
  /** When a newer key took over signing; null for the active key. */
  retired_at: string | null;
  /** After this the public key is dropped: every token it signed has expired. */
  verify_until: string | null;
}

/** TokenRow is the server-side record of a token, keyed by the JWT's `jti`; it holds the grants. */
export interface TokenRow {
  id: string;
  user_id: string;
  /** "user" (login session) or "api". */
  kind: string;
  description: string;
  /** JSON array of {subject, methods}. */
  permissions: string;
  /** JSON object project id → ProjectRole. */
  project_roles: string;
  /** JSON object tenant id → TenantRole. */
  tenant_roles: string;
  /** AdminRole enum value; 0 for none. */
  admin_role: number;
  issued_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** The token as first issued, carried on by refreshes; null on rows from before lineages (the row's own id). */
  lineage_id: string | null;
  /** Lineage of the API token that created this one (API tokens created with an API token). */
  parent_id: string | null;
  /** Latest expiry a refresh may give this token: the parent's bound when created by an API token. */
  not_after: string | null;
  /** Login session (refresh-token family) of a user token. */
  session_id: string | null;
  generation: number;
}

/** RefreshTokenRow is one opaque refresh token, stored only as its SHA-256 hash. */
export interface RefreshTokenRow {
  hash: string;
  session_id: string;
  user_id: string;
  client: string;
  issued_at: string;
  /** Absolute end of the session; rotation never extends it. */
  expires_at: string;
  /** When it was exchanged; a second exchange is reuse and revokes the whole session. */
  used_at: string | null;
  revoked_at: string | null;
}

/** AuditLogRow is one authorization decision and its outcome. */
export interface AuditLogRow {
  id: string;
  time: string;
  user_id: string;
  token_id: string;
  method: string;
  /** Project or tenant id the request named; empty when the method names none. */
  subject: string;
  /** Tenant the call was about: the tenant it named or the tenant of the project it named; "" for none. */
  tenant: string;
  /** Project the call named; "" for calls that name none. */
  project: string;
  /** The client's x-request-id, or the row's id when it sent none. */
  request_id: string;
  /** "ok" or the Connect code name, e.g. "permission_denied". */
  code: string;
  duration_ms: number;
  client_address: string;
  /** Request as JSON with secrets redacted, truncated. */
  request: string;
}

/** TokenTables are the tables of signing keys, tokens, refresh tokens and the audit log. */
export interface TokenTables {
  signing_keys: SigningKeyRow;
  tokens: TokenRow;
  refresh_tokens: RefreshTokenRow;
  audit_log: AuditLogRow;
}
