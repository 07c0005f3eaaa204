import type { Connector } from "./connectors/connector.js";
import { defaultLdapConfig, type LdapConfig, ldapConnector } from "./connectors/ldap.js";
import {
  defaultUpstreamOidcConfig,
  type RedirectConnector,
  type UpstreamOidcConfig,
  upstreamOidcConnector,
} from "./connectors/upstream-oidc.js";
import type { IdpDeps } from "./deps.js";

/** StoredConnector is a connector kept in the database, with its full configuration. */
export type StoredConnector =
  | { id: string; name: string; type: "ldap"; ldap: LdapConfig; createdAt: Date }
  | { id: string; name: string; type: "oidc"; oidc: UpstreamOidcConfig; createdAt: Date };

/** ConnectorSet is every way to log in that the login page offers right now. */
export interface ConnectorSet {
  password: Connector[];
  redirect: RedirectConnector[];
}

/** listStoredConnectors reads the operator-added connectors ordered by id. */
export async function listStoredConnectors(deps: IdpDeps): Promise<StoredConnector[]> {
  const rows = await deps.db.selectFrom("idp_connectors").selectAll().orderBy("id").execute();
  return rows.map((r) => {
    const base = { id: r.id, name: r.name, createdAt: new Date(r.created_at) };
    return r.type === "ldap"
      ? {
          ...base,
          type: "ldap" as const,
          ldap: { ...defaultLdapConfig(), ...(JSON.parse(r.config) as Partial<LdapConfig>) },
        }
      : {
          ...base,
          type: "oidc" as const,
          oidc: { ...defaultUpstreamOidcConfig(), ...(JSON.parse(r.config) as Partial<UpstreamOidcConfig>) },
        };
  });
}

/** saveStoredConnector inserts a connector; false when the id is taken. */
export async function saveStoredConnector(deps: IdpDeps, c: StoredConnector): Promise<boolean> {
  const inserted = await deps.db
    .insertInto("idp_connectors")
    .values({
      id: c.id,
      type: c.type,
      name: c.name,
      config: JSON.stringify(c.type === "ldap" ? c.ldap : c.oidc),
      created_at: c.createdAt.toISOString(),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** deleteStoredConnector removes a connector and returns it, or undefined when there is none. */
export async function deleteStoredConnector(deps: IdpDeps, id: string): Promise<StoredConnector | undefined> {
  const found = (await listStoredConnectors(deps)).find((c) => c.id === id);
  if (found) await deps.db.deleteFrom("idp_connectors").where("id", "=", id).execute();
  return found;
}

/**
 * createConnectorLoader returns a function that yields the configured connectors plus those in
 * the database, read on every call so that added or removed connectors apply at once on every
 * replica; connector objects are reused while their configuration is unchanged.
 */
export function createConnectorLoader(
  deps: IdpDeps,
  fixed: ConnectorSet,
  callbackUrl: (connectorId: string) => string,
): () => Promise<ConnectorSet> {
  const cache = new Map<string, { key: string; connector: Connector | RedirectConnector }>();
  return async () => {
    const set: ConnectorSet = { password: [...fixed.password], redirect: [...fixed.redirect] };
    for (const stored of await listStoredConnectors(deps)) {
      const key = JSON.stringify(stored);
      let entry = cache.get(stored.id);
      if (!entry || entry.key !== key) {
        const connector =
          stored.type === "ldap"
            ? ldapConnector({ ...stored.ldap, displayName: stored.name }, stored.id)
            : upstreamOidcConnector(
                { ...stored.oidc, displayName: stored.name },
                callbackUrl(stored.id),
                stored.id,
              );
        entry = { key, connector };
        cache.set(stored.id, entry);
      }
      if (stored.type === "ldap") set.password.push(entry.connector as Connector);
      else set.redirect.push(entry.connector as RedirectConnector);
    }
    return set;
  };
}
