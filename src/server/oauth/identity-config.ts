import { defaultLdapConfig, type LdapConfig } from "../../idp/connectors/ldap.js";
import { defaultUpstreamOidcConfig, type UpstreamOidcConfig } from "../../idp/connectors/upstream-oidc.js";

/** AdminRoleName is an admin role a group can grant. */
export type AdminRoleName = "editor" | "viewer";

/** GroupRoleName is what a group can grant: an admin role, or "tenant-admin" (all tenants, no infrastructure). */
export type GroupRoleName = AdminRoleName | "tenant-admin";

/** IdentityConfig configures login: the identity provider the API trusts and how its claims map to users. */
export interface IdentityConfig {
  /** Issuer URL of an external OpenID provider; empty runs the embedded provider under /idp. */
  issuerUrl: string;
  /** The API server's client id at the provider. */
  clientId: string;
  /** Client secret at an external provider; empty for a public client (PKCE only). */
  clientSecret: string;
  /** Scopes requested from the provider, space separated. */
  scopes: string;
  /** Claim holding the user key; `sub` unless the provider has a better stable one. */
  userClaim: string;
  nameClaim: string;
  emailClaim: string;
  /** Claim holding the list of groups. */
  groupsClaim: string;
  /** Prefix put before an external provider's user key, e.g. "okta:"; empty for none. */
  userPrefix: string;
  /** Group (or local role) → role granted at login; the strongest admin role wins, tenant-admin adds to it. */
  groupRoles: Record<string, GroupRoleName>;
  /** LDAP connector of the embedded provider; disabled while `url` is empty. */
  ldap: LdapConfig;
  /** Upstream OpenID provider connector of the embedded provider; disabled while `issuerUrl` is empty. */
  upstream: UpstreamOidcConfig;
  /** Seconds a device-flow client waits between polls. */
  devicePollIntervalSeconds: number;
  /** Seconds a device code stays valid. */
  deviceCodeLifetimeSeconds: number;
}

/** defaultIdentityConfig returns the embedded provider with local users; cluster admins get admin editor. */
export function defaultIdentityConfig(): IdentityConfig {
  return {
    issuerUrl: "",
    clientId: "metal-apiserver",
    clientSecret: "",
    scopes: "openid profile email groups",
    userClaim: "sub",
    nameClaim: "name",
    emailClaim: "email",
    groupsClaim: "groups",
    userPrefix: "",
    groupRoles: { "cluster-admin": "editor", "read-only": "viewer", "solution-admin": "tenant-admin" },
    ldap: defaultLdapConfig(),
    upstream: defaultUpstreamOidcConfig(),
    devicePollIntervalSeconds: 5,
    deviceCodeLifetimeSeconds: 600,
  };
}

/** parseGroupRoles reads "group=editor,other=viewer,third=tenant-admin" into a mapping; throws naming the bad entry. */
export function parseGroupRoles(text: string): Record<string, GroupRoleName> {
  const out: Record<string, GroupRoleName> = {};
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const idx = entry.lastIndexOf("=");
    const group = entry.slice(0, idx).trim();
    const role = entry.slice(idx + 1).trim();
    if (idx <= 0 || (role !== "editor" && role !== "viewer" && role !== "tenant-admin")) {
      throw new Error(
        `group role mapping "${entry}" must look like GROUP=editor, GROUP=viewer or GROUP=tenant-admin`,
      );
    }
    out[group] = role;
  }
  return out;
}
