import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type Connector,
  ConnectorSchema,
  type ConnectorService,
  ConnectorServiceCreateResponseSchema,
  ConnectorServiceDeleteResponseSchema,
  ConnectorServiceListResponseSchema,
  LdapConnectorSchema,
  OidcConnectorSchema,
} from "../../../../gen/metalstack/admin/v2/connector_pb.js";
import {
  deleteStoredConnector,
  listStoredConnectors,
  type StoredConnector,
  saveStoredConnector,
} from "../../../../idp/connector-store.js";
import { defaultLdapConfig } from "../../../../idp/connectors/ldap.js";
import { defaultUpstreamOidcConfig } from "../../../../idp/connectors/upstream-oidc.js";
import type { AppContext } from "../../../context.js";
import { idpDeps } from "../../../oauth/runtime.js";

const ID = /^[a-z0-9][a-z0-9-]{1,31}$/;
// Ids of the connectors that come from the server configuration.
const RESERVED = new Set(["local", "ldap", "oidc"]);

/** toMessage converts a stored connector to its API form with every secret left empty. */
function toMessage(c: StoredConnector): Connector {
  const base = { id: c.id, name: c.name, createdAt: timestampFromDate(c.createdAt) };
  if (c.type === "ldap") {
    const l = c.ldap;
    return create(ConnectorSchema, {
      ...base,
      config: {
        case: "ldap",
        value: create(LdapConnectorSchema, {
          url: l.url,
          startTls: l.startTls,
          caPem: l.caPem,
          insecureSkipVerify: l.insecureSkipVerify,
          bindDn: l.bindDn,
          userBaseDn: l.userBaseDn,
          userFilter: l.userFilter,
          usernameAttribute: l.usernameAttribute,
          nameAttribute: l.nameAttribute,
          emailAttribute: l.emailAttribute,
          groupBaseDn: l.groupBaseDn,
          groupFilter: l.groupFilter,
          groupNameAttribute: l.groupNameAttribute,
        }),
      },
    });
  }
  const o = c.oidc;
  return create(ConnectorSchema, {
    ...base,
    config: {
      case: "oidc",
      value: create(OidcConnectorSchema, {
        issuerUrl: o.issuerUrl,
        clientId: o.clientId,
        scopes: o.scopes,
        userClaim: o.userClaim,
        groupsClaim: o.groupsClaim,
      }),
    },
  });
}

function invalid(message: string): never {
  throw new ConnectError(message, Code.InvalidArgument);
}

/** fromRequest validates a new connector and fills in defaults for empty optional fields. */
function fromRequest(c: Connector | undefined, now: Date): StoredConnector {
  if (!c) invalid("connector: describe the connector to create");
  if (!ID.test(c.id) || RESERVED.has(c.id)) {
    invalid(
      `connector.id: "${c.id}" is not allowed; use 2-32 lower-case letters, digits or '-' (local, ldap and oidc are reserved)`,
    );
  }
  const name = c.name || c.id;
  const or = (value: string, fallback: string) => value || fallback;
  if (c.config.case === "ldap") {
    const l = c.config.value;
    const d = defaultLdapConfig();
    if (!/^ldaps?:\/\/[^/]+/.test(l.url))
      invalid("connector.ldap.url: must be ldap://host:port or ldaps://host:port");
    if (!l.userBaseDn) invalid("connector.ldap.user_base_dn: name the subtree to search users in");
    return {
      id: c.id,
      name,
      type: "ldap",
      createdAt: now,
      ldap: {
        ...d,
        url: l.url,
        startTls: l.startTls,
        caPem: l.caPem,
        insecureSkipVerify: l.insecureSkipVerify,
        bindDn: l.bindDn,
        bindPassword: l.bindPassword,
        userBaseDn: l.userBaseDn,
        userFilter: or(l.userFilter, d.userFilter),
        usernameAttribute: or(l.usernameAttribute, d.usernameAttribute),
        nameAttribute: or(l.nameAttribute, d.nameAttribute),
        emailAttribute: or(l.emailAttribute, d.emailAttribute),
        groupBaseDn: l.groupBaseDn,
        groupFilter: or(l.groupFilter, d.groupFilter),
        groupNameAttribute: or(l.groupNameAttribute, d.groupNameAttribute),
        displayName: name,
      },
    };
  }
  if (c.config.case === "oidc") {
    const o = c.config.value;
    const d = defaultUpstreamOidcConfig();
    if (!/^https?:\/\/[^/]+/.test(o.issuerUrl)) invalid("connector.oidc.issuer_url: must be an http(s) URL");
    if (!o.clientId) invalid("connector.oidc.client_id: name the client registered at the upstream provider");
    return {
      id: c.id,
      name,
      type: "oidc",
      createdAt: now,
      oidc: {
        issuerUrl: o.issuerUrl,
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        scopes: or(o.scopes, d.scopes),
        userClaim: or(o.userClaim, d.userClaim),
        groupsClaim: or(o.groupsClaim, d.groupsClaim),
        displayName: name,
      },
    };
  }
  return invalid("connector.config: set either ldap or oidc");
}

/** adminConnectorService lets operators add and remove login connectors of the embedded provider at run time. */
export function adminConnectorService(ctx: AppContext): Partial<ServiceImpl<typeof ConnectorService>> {
  const deps = idpDeps(ctx);
  return {
    async create(req) {
      const stored = fromRequest(req.connector, ctx.now());
      if (!(await saveStoredConnector(deps, stored))) {
        throw new ConnectError(`connector "${stored.id}" already exists`, Code.AlreadyExists);
      }
      ctx.log.info("login connector added", { connector: stored.id, type: stored.type });
      return create(ConnectorServiceCreateResponseSchema, { connector: toMessage(stored) });
    },
    async list() {
      const all = await listStoredConnectors(deps);
      return create(ConnectorServiceListResponseSchema, { connectors: all.map(toMessage) });
    },
    async delete(req) {
      const removed = await deleteStoredConnector(deps, req.id);
      if (!removed) throw new ConnectError(`connector "${req.id}" does not exist`, Code.NotFound);
      ctx.log.info("login connector removed", { connector: req.id });
      return create(ConnectorServiceDeleteResponseSchema, { connector: toMessage(removed) });
    },
  };
}
