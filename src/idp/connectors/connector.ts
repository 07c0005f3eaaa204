/** ExternalAccount is what a connector knows about a person after a successful login. */
export interface Account {
  /** Subject: the local user id, or `<connector>:<name>` for other connectors. */
  sub: string;
  name: string;
  email: string;
  /** Group names; mapped to API roles by the server. */
  groups: string[];
  /** Only local users: a one-time password must be replaced before anything else. */
  mustChangePassword?: boolean;
}

/** PasswordLogin is the outcome of a user name / password check; `message` is safe to show. */
export type PasswordLogin = { ok: true; account: Account } | { ok: false; message: string };

/** Connector is one way of logging in (local users, LDAP, …) with user name and password. */
export interface Connector {
  id: string;
  /** Name shown on the login page. */
  name: string;
  login(username: string, password: string): Promise<PasswordLogin>;
}

/** INVALID_CREDENTIALS is the one message for unknown users and wrong passwords alike. */
export const INVALID_CREDENTIALS = "Invalid user name or password.";
