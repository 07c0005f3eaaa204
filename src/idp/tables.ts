/** IdpUserRow is a local user of the embedded identity provider; the password is only stored as an argon2id hash. */
export interface IdpUserRow {
  /** Login name, also the `sub` claim. */
  id: string;
  display_name: string;
  email: string;
  password_hash: string;
  /** 1 when the user must set a new password before anything else (one-time passwords). */
  must_change_password: number;
  /** JSON array of high-level roles, see `LocalRole`. */
  roles: string;
  /** 1 when an admin locked the account. */
  locked: number;
  /** Consecutive failed logins since the last success. */
  failed_logins: number;
  /** ISO time before which no login is attempted (back-off after failures); empty when none. */
  blocked_until: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** IdpModelRow persists one oidc-provider artefact (session, grant, code, interaction, …). */
export interface IdpModelRow {
  model: string;
  id: string;
  /** JSON payload as the provider hands it over. */
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  /** ISO expiry; null for artefacts without one. */
  expires_at: string | null;
}

/** IdpKeyRow is a private JWK the provider signs tokens with, or a secret it signs cookies with. */
export interface IdpKeyRow {
  kid: string;
  /** "signing" (JWK JSON) or "cookie" (random secret). */
  kind: string;
  /** The key, or an AES-256-GCM envelope of it (`enc:v1:…`, see shared/key-encryption.ts) when a secret is set. */
  material: string;
  created_at: string;
}

/** IdpClientRow is an OIDC client registered by an admin (an admin UI, Grafana, …). */
export interface IdpClientRow {
  client_id: string;
  name: string;
  /** Empty for public clients. */
  client_secret: string;
  /** JSON array of redirect URIs. */
  redirect_uris: string;
  created_at: string;
}

/** IdpConnectorRow is a login connector added by an operator at run time. */
export interface IdpConnectorRow {
  id: string;
  /** "ldap" or "oidc". */
  type: string;
  name: string;
  /** JSON of the connector's configuration, secrets included. */
  config: string;
  created_at: string;
}

/** IdentityTables are the embedded identity provider's tables. */
export interface IdentityTables {
  idp_users: IdpUserRow;
  idp_models: IdpModelRow;
  idp_keys: IdpKeyRow;
  idp_clients: IdpClientRow;
  idp_connectors: IdpConnectorRow;
}
