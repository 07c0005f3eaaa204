import fs from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Client } from "ldapts";
import { type Connector, INVALID_CREDENTIALS } from "./connector.js";

/** LdapConfig configures the LDAP / Active Directory connector: bind, user search and group search. */
export interface LdapConfig {
  /** ldap://host:port or ldaps://host:port. */
  url: string;
  /** Upgrade an ldap:// connection with StartTLS. */
  startTls: boolean;
  /** PEM file with the CA to trust for ldaps/StartTLS; empty uses the system CAs. */
  caFile: string;
  /** PEM text of the CA to trust (connectors kept in the database); wins over caFile. */
  caPem: string;
  /** Skip certificate verification (tests and labs only). */
  insecureSkipVerify: boolean;
  /** DN and password of the service account that searches; empty binds anonymously. */
  bindDn: string;
  bindPassword: string;
  userBaseDn: string;
  /** Filter for the user; `{username}` is replaced by the escaped login name. */
  userFilter: string;
  usernameAttribute: string;
  nameAttribute: string;
  emailAttribute: string;
  groupBaseDn: string;
  /** Filter for the user's groups; `{dn}` is the user's DN, `{username}` the login name (both escaped). */
  groupFilter: string;
  groupNameAttribute: string;
  /** Name shown on the login page. */
  displayName: string;
}

/** defaultLdapConfig returns OpenLDAP-style defaults (inetOrgPerson users, groupOfNames groups). */
export function defaultLdapConfig(): LdapConfig {
  return {
    url: "",
    startTls: false,
    caFile: "",
    caPem: "",
    insecureSkipVerify: false,
    bindDn: "",
    bindPassword: "",
    userBaseDn: "",
    userFilter: "(&(objectClass=person)(uid={username}))",
    usernameAttribute: "uid",
    nameAttribute: "cn",
    emailAttribute: "mail",
    groupBaseDn: "",
    groupFilter: "(&(objectClass=groupOfNames)(member={dn}))",
    groupNameAttribute: "cn",
    displayName: "LDAP",
  };
}

/** escapeFilterValue escapes a value for an LDAP search filter (RFC 4515). */
function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

function first(value: unknown): string {
  if (Array.isArray(value)) return first(value[0]);
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return typeof value === "string" ? value : "";
}

/** ldapConnector logs users in by searching them with the service account and binding as them; accounts are `<id>:<uid>`. */
export function ldapConnector(cfg: LdapConfig, id = "ldap"): Connector {
  const tlsOptions = (): ConnectionOptions => ({
    ...(cfg.caPem ? { ca: cfg.caPem } : cfg.caFile ? { ca: fs.readFileSync(cfg.caFile) } : {}),
    rejectUnauthorized: !cfg.insecureSkipVerify,
  });
  const connect = async (): Promise<Client> => {
    // ldapts speaks TLS from the first byte whenever tlsOptions are given, so only ldaps:// gets them.
    const client = new Client({
      url: cfg.url,
      timeout: 10_000,
      connectTimeout: 5_000,
      ...(cfg.url.startsWith("ldaps:") ? { tlsOptions: tlsOptions() } : {}),
    });
    if (cfg.startTls) await client.startTLS(tlsOptions());
    return client;
  };
  return {
    id,
    name: cfg.displayName,
    async login(username, password) {
      const name = username.trim();
      // An empty password would be an anonymous ("unauthenticated") bind that many servers accept.
      if (!name || !password) return { ok: false, message: INVALID_CREDENTIALS };
      const search = await connect();
      try {
        if (cfg.bindDn) await search.bind(cfg.bindDn, cfg.bindPassword);
        const { searchEntries } = await search.search(cfg.userBaseDn, {
          scope: "sub",
          filter: cfg.userFilter.replaceAll("{username}", escapeFilterValue(name)),
          attributes: [cfg.usernameAttribute, cfg.nameAttribute, cfg.emailAttribute],
          sizeLimit: 2,
        });
        if (searchEntries.length !== 1) return { ok: false, message: INVALID_CREDENTIALS };
        const entry = searchEntries[0]!;
        const user = await connect();
        try {
          await user.bind(entry.dn, password);
        } catch {
          return { ok: false, message: INVALID_CREDENTIALS };
        } finally {
          await user.unbind().catch(() => {});
        }
        const uid = first(entry[cfg.usernameAttribute]) || name;
        let groups: string[] = [];
        if (cfg.groupBaseDn) {
          const res = await search.search(cfg.groupBaseDn, {
            scope: "sub",
            filter: cfg.groupFilter
              .replaceAll("{dn}", escapeFilterValue(entry.dn))
              .replaceAll("{username}", escapeFilterValue(uid)),
            attributes: [cfg.groupNameAttribute],
          });
          groups = res.searchEntries.map((g) => first(g[cfg.groupNameAttribute])).filter(Boolean);
        }
        return {
          ok: true,
          account: {
            sub: `${id}:${uid}`,
            name: first(entry[cfg.nameAttribute]) || uid,
            email: first(entry[cfg.emailAttribute]),
            groups,
          },
        };
      } finally {
        await search.unbind().catch(() => {});
      }
    },
  };
}
