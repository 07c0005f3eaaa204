import type { IdentityTables } from "../../idp/tables.js";

/** LoginStateRow is one short-lived entry of login state (pending authorization, code, device code). */
export interface LoginStateRow {
  key: string;
  /** JSON value. */
  value: string;
  /** ISO expiry; expired rows are ignored and swept. */
  expires_at: string;
}

/** LoginTables hold the API server's OAuth login state when no Redis is configured. */
export interface LoginTables {
  login_state: LoginStateRow;
}

/** IdentityAndLoginTables are the identity provider's tables and the login state table. */
export interface IdentityAndLoginTables extends IdentityTables, LoginTables {}
