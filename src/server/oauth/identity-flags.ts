import fs from "node:fs";
import { ConfigError } from "../config.js";
import { defaultIdentityConfig, type IdentityConfig, parseGroupRoles } from "./identity-config.js";

/** identityServeOptions are the `serve` flags for login; each also has a METAL_APISERVER_* variable and a config file key. */
export const identityServeOptions = {
  "oidc-issuer-url": { type: "string" },
  "oidc-client-id": { type: "string" },
  "oidc-client-secret-file": { type: "string" },
  "oidc-scopes": { type: "string" },
  "oidc-user-claim": { type: "string" },
  "oidc-user-prefix": { type: "string" },
  "oidc-name-claim": { type: "string" },
  "oidc-email-claim": { type: "string" },
  "oidc-groups-claim": { type: "string" },
  "group-roles": { type: "string" },
  "ldap-url": { type: "string" },
  "ldap-start-tls": { type: "boolean" },
  "ldap-ca-file": { type: "string" },
  "ldap-insecure-skip-verify": { type: "boolean" },
  "ldap-bind-dn": { type: "string" },
  "ldap-bind-password-file": { type: "string" },
  "ldap-user-base-dn": { type: "string" },
  "ldap-user-filter": { type: "string" },
  "ldap-group-base-dn": { type: "string" },
  "ldap-group-filter": { type: "string" },
  "ldap-name": { type: "string" },
  "device-poll-interval": { type: "string" },
  "upstream-oidc-issuer-url": { type: "string" },
  "upstream-oidc-client-id": { type: "string" },
  "upstream-oidc-client-secret-file": { type: "string" },
  "upstream-oidc-name": { type: "string" },
} as const;

type Flag = keyof typeof identityServeOptions;

/** envName is the variable of a login flag. */
function envName(flag: Flag): string {
  return `METAL_APISERVER_${flag.toUpperCase().replaceAll("-", "_")}`;
}

const DESCRIPTIONS: Record<Flag, string> = {
  "oidc-issuer-url": "URL   external OpenID provider instead of the embedded one at <public url>/idp",
  "oidc-client-id": "ID   client id at the provider (default metal-apiserver)",
  "oidc-client-secret-file": "FILE   client secret (or METAL_APISERVER_OIDC_CLIENT_SECRET)",
  "oidc-scopes": 'SCOPES   requested scopes (default "openid profile email groups")',
  "oidc-user-claim": "CLAIM   claim used as user key (default sub)",
  "oidc-user-prefix": "PREFIX   put before an external provider's user keys, e.g. corp:",
  "oidc-name-claim": "CLAIM   claim with the display name (default name)",
  "oidc-email-claim": "CLAIM   claim with the e-mail address (default email)",
  "oidc-groups-claim": "CLAIM   claim with the groups (default groups)",
  "group-roles":
    "MAP   GROUP=editor|viewer|tenant-admin,... roles granted by groups (default cluster-admin=editor,read-only=viewer,solution-admin=tenant-admin)",
  "ldap-url": "URL   enable the LDAP connector, ldap:// or ldaps://",
  "ldap-start-tls": "   upgrade ldap:// with StartTLS",
  "ldap-ca-file": "FILE   CA certificate to trust for LDAP TLS",
  "ldap-insecure-skip-verify": "   do not verify the LDAP server certificate (labs only)",
  "ldap-bind-dn": "DN   service account that searches users and groups",
  "ldap-bind-password-file": "FILE   its password (or METAL_APISERVER_LDAP_BIND_PASSWORD)",
  "ldap-user-base-dn": "DN   subtree with the users",
  "ldap-user-filter": "FILTER   user search, {username} is replaced",
  "ldap-group-base-dn": "DN   subtree with the groups",
  "ldap-group-filter": "FILTER   group search, {dn} and {username} are replaced",
  "ldap-name": "NAME   connector name on the login page (default LDAP)",
  "device-poll-interval": "SECONDS   between device-flow polls (default 5)",
  "upstream-oidc-issuer-url": "URL   let the embedded provider offer login at another OpenID provider",
  "upstream-oidc-client-id": "ID   the embedded provider's client id there",
  "upstream-oidc-client-secret-file":
    "FILE   its client secret (or METAL_APISERVER_UPSTREAM_OIDC_CLIENT_SECRET)",
  "upstream-oidc-name": "NAME   its name on the login page",
};

/** IDENTITY_USAGE documents the login flags and their variables for `metal-apiserver --help`. */
export const IDENTITY_USAGE = `
Login flags (each also read from the variable shown, then from the config file):
${(Object.keys(identityServeOptions) as Flag[])
  .map((flag) => `  --${flag} ${DESCRIPTIONS[flag]}  ${envName(flag)}`)
  .join("\n")}
`;

function readSecretFile(flag: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new ConfigError(`--${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/**
 * identityConfigFrom builds the login configuration from the same flag/variable/file lookups the
 * other settings use. Secrets come only from files or variables, never from flags, so they stay
 * out of process lists.
 */
export function identityConfigFrom(
  pick: (flag: Flag, env: string) => string | undefined,
  pickBool: (flag: Flag, env: string) => boolean | undefined,
  env: NodeJS.ProcessEnv,
): IdentityConfig {
  const cfg = defaultIdentityConfig();
  const s = (flag: Flag) => pick(flag, envName(flag));
  const b = (flag: Flag) => pickBool(flag, envName(flag));
  cfg.issuerUrl = s("oidc-issuer-url") ?? "";
  if (cfg.issuerUrl && !/^https?:\/\//.test(cfg.issuerUrl)) {
    throw new ConfigError("--oidc-issuer-url: must be an http(s) URL, e.g. https://login.example.com");
  }
  cfg.clientId = s("oidc-client-id") ?? cfg.clientId;
  const secretFile = s("oidc-client-secret-file");
  cfg.clientSecret = secretFile
    ? readSecretFile("oidc-client-secret-file", secretFile)
    : (env.METAL_APISERVER_OIDC_CLIENT_SECRET ?? "");
  cfg.scopes = s("oidc-scopes") ?? cfg.scopes;
  cfg.userClaim = s("oidc-user-claim") ?? cfg.userClaim;
  cfg.userPrefix = s("oidc-user-prefix") ?? cfg.userPrefix;
  cfg.nameClaim = s("oidc-name-claim") ?? cfg.nameClaim;
  cfg.emailClaim = s("oidc-email-claim") ?? cfg.emailClaim;
  cfg.groupsClaim = s("oidc-groups-claim") ?? cfg.groupsClaim;
  const roles = s("group-roles");
  if (roles !== undefined) {
    try {
      cfg.groupRoles = parseGroupRoles(roles);
    } catch (err) {
      throw new ConfigError(`--group-roles: ${(err as Error).message}`);
    }
  }
  const ldap = cfg.ldap;
  ldap.url = s("ldap-url") ?? "";
  if (ldap.url && !/^ldaps?:\/\//.test(ldap.url)) {
    throw new ConfigError("--ldap-url: must start with ldap:// or ldaps://");
  }
  ldap.startTls = b("ldap-start-tls") ?? false;
  ldap.caFile = s("ldap-ca-file") ?? "";
  ldap.insecureSkipVerify = b("ldap-insecure-skip-verify") ?? false;
  ldap.bindDn = s("ldap-bind-dn") ?? "";
  const bindFile = s("ldap-bind-password-file");
  ldap.bindPassword = bindFile
    ? readSecretFile("ldap-bind-password-file", bindFile)
    : (env.METAL_APISERVER_LDAP_BIND_PASSWORD ?? "");
  ldap.userBaseDn = s("ldap-user-base-dn") ?? "";
  ldap.userFilter = s("ldap-user-filter") ?? ldap.userFilter;
  ldap.groupBaseDn = s("ldap-group-base-dn") ?? "";
  ldap.groupFilter = s("ldap-group-filter") ?? ldap.groupFilter;
  ldap.displayName = s("ldap-name") ?? ldap.displayName;
  if (ldap.url && !ldap.userBaseDn) throw new ConfigError("--ldap-user-base-dn: required with --ldap-url");
  const up = cfg.upstream;
  up.issuerUrl = s("upstream-oidc-issuer-url") ?? "";
  if (up.issuerUrl && !/^https?:\/\//.test(up.issuerUrl)) {
    throw new ConfigError("--upstream-oidc-issuer-url: must be an http(s) URL");
  }
  up.clientId = s("upstream-oidc-client-id") ?? "";
  if (up.issuerUrl && !up.clientId)
    throw new ConfigError("--upstream-oidc-client-id: required with --upstream-oidc-issuer-url");
  const upstreamSecretFile = s("upstream-oidc-client-secret-file");
  up.clientSecret = upstreamSecretFile
    ? readSecretFile("upstream-oidc-client-secret-file", upstreamSecretFile)
    : (env.METAL_APISERVER_UPSTREAM_OIDC_CLIENT_SECRET ?? "");
  up.displayName = s("upstream-oidc-name") ?? up.displayName;
  const interval = s("device-poll-interval");
  if (interval !== undefined) {
    const n = Number(interval);
    if (!Number.isInteger(n) || n < 1 || n > 60) {
      throw new ConfigError(
        `--device-poll-interval: "${interval}" must be a whole number of seconds from 1 to 60`,
      );
    }
    cfg.devicePollIntervalSeconds = n;
  }
  return cfg;
}
