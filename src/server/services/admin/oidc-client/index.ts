import { randomBytes } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type OidcClient,
  OidcClientSchema,
  type OidcClientService,
  OidcClientServiceCreateResponseSchema,
  OidcClientServiceDeleteResponseSchema,
  OidcClientServiceListResponseSchema,
} from "../../../../gen/metalstack/admin/v2/oidc_client_pb.js";
import type { IdpClientRow } from "../../../../idp/tables.js";
import type { AppContext } from "../../../context.js";

const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
const RESERVED = new Set(["metalctl", "metal-apiserver"]);

function toMessage(row: IdpClientRow): OidcClient {
  return create(OidcClientSchema, {
    id: row.client_id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    public: row.client_secret === "",
    createdAt: timestampFromDate(new Date(row.created_at)),
  });
}

/** validRedirectUri accepts https URLs and http URLs on loopback addresses, without fragments. */
function validRedirectUri(raw: string): boolean {
  try {
    const u = new URL(raw);
    if (u.hash || u.username || u.password) return false;
    if (u.protocol === "https:") return true;
    return u.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(u.hostname);
  } catch {
    return false;
  }
}

/** adminOidcClientService lets operators register OIDC clients that share the provider's SSO session. */
export function adminOidcClientService(ctx: AppContext): Partial<ServiceImpl<typeof OidcClientService>> {
  const db = ctx.db.kysely;
  return {
    async create(req) {
      if (!CLIENT_ID.test(req.id) || RESERVED.has(req.id)) {
        throw new ConnectError(
          `id: "${req.id}" is not allowed; use 2-64 letters, digits, '.', '_' or '-' (metalctl and metal-apiserver are reserved)`,
          Code.InvalidArgument,
        );
      }
      if (req.redirectUris.length === 0) {
        throw new ConnectError("redirect_uris: name at least one redirect URI", Code.InvalidArgument);
      }
      const bad = req.redirectUris.find((u) => !validRedirectUri(u));
      if (bad !== undefined) {
        throw new ConnectError(
          `redirect_uris: "${bad}" must be an https URL (or http on a loopback address) without a fragment`,
          Code.InvalidArgument,
        );
      }
      const secret = req.public ? "" : randomBytes(32).toString("base64url");
      const row: IdpClientRow = {
        client_id: req.id,
        name: req.name || req.id,
        client_secret: secret,
        redirect_uris: JSON.stringify(req.redirectUris),
        created_at: ctx.now().toISOString(),
      };
      const inserted = await db
        .insertInto("idp_clients")
        .values(row)
        .onConflict((oc) => oc.column("client_id").doNothing())
        .returning("client_id")
        .executeTakeFirst();
      if (!inserted) throw new ConnectError(`client "${req.id}" already exists`, Code.AlreadyExists);
      ctx.log.info("oidc client registered", { client: req.id });
      return create(OidcClientServiceCreateResponseSchema, { client: toMessage(row), clientSecret: secret });
    },
    async list() {
      const rows = await db.selectFrom("idp_clients").selectAll().orderBy("client_id").execute();
      return create(OidcClientServiceListResponseSchema, { clients: rows.map(toMessage) });
    },
    async delete(req) {
      const row = await db
        .deleteFrom("idp_clients")
        .where("client_id", "=", req.id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new ConnectError(`client "${req.id}" does not exist`, Code.NotFound);
      // Tokens and grants the provider issued to the client stop working with it.
      await db
        .deleteFrom("idp_models")
        .where("payload", "like", `%"clientId":${JSON.stringify(req.id)}%`)
        .execute();
      ctx.log.info("oidc client deleted", { client: req.id });
      return create(OidcClientServiceDeleteResponseSchema, { client: toMessage(row) });
    },
  };
}
