import type { Adapter, AdapterPayload } from "oidc-provider";
import type { IdpDeps } from "./deps.js";

/**
 * createAdapterFactory returns the oidc-provider storage adapter over the `idp_models` table, so
 * sessions, grants, codes and interactions survive restarts and are shared by all replicas.
 * Registered clients are read from `idp_clients`.
 */
export function createAdapterFactory(deps: IdpDeps): (model: string) => Adapter {
  return (model) => (model === "Client" ? clientAdapter(deps) : modelAdapter(deps, model));
}

function modelAdapter(deps: IdpDeps, model: string): Adapter {
  const live = (row: { payload: string; expires_at: string | null } | undefined) => {
    if (!row) return undefined;
    if (row.expires_at && new Date(row.expires_at) <= deps.now()) return undefined;
    return JSON.parse(row.payload) as AdapterPayload;
  };
  return {
    async upsert(id, payload, expiresIn) {
      const expires = expiresIn ? new Date(deps.now().getTime() + expiresIn * 1000).toISOString() : null;
      const values = {
        model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expires,
      };
      await deps.db
        .insertInto("idp_models")
        .values(values)
        .onConflict((oc) =>
          oc.columns(["model", "id"]).doUpdateSet({
            payload: values.payload,
            grant_id: values.grant_id,
            user_code: values.user_code,
            uid: values.uid,
            expires_at: values.expires_at,
          }),
        )
        .execute();
      await sweepSometimes(deps);
    },
    async find(id) {
      return live(
        await deps.db
          .selectFrom("idp_models")
          .select(["payload", "expires_at"])
          .where("model", "=", model)
          .where("id", "=", id)
          .executeTakeFirst(),
      );
    },
    async findByUserCode(userCode) {
      return live(
        await deps.db
          .selectFrom("idp_models")
          .select(["payload", "expires_at"])
          .where("model", "=", model)
          .where("user_code", "=", userCode)
          .executeTakeFirst(),
      );
    },
    async findByUid(uid) {
      return live(
        await deps.db
          .selectFrom("idp_models")
          .select(["payload", "expires_at"])
          .where("model", "=", model)
          .where("uid", "=", uid)
          .executeTakeFirst(),
      );
    },
    async consume(id) {
      const row = await deps.db
        .selectFrom("idp_models")
        .select("payload")
        .where("model", "=", model)
        .where("id", "=", id)
        .executeTakeFirst();
      if (!row) return;
      const payload = {
        ...(JSON.parse(row.payload) as AdapterPayload),
        consumed: Math.floor(deps.now().getTime() / 1000),
      };
      await deps.db
        .updateTable("idp_models")
        .set({ payload: JSON.stringify(payload) })
        .where("model", "=", model)
        .where("id", "=", id)
        .execute();
    },
    async destroy(id) {
      await deps.db.deleteFrom("idp_models").where("model", "=", model).where("id", "=", id).execute();
    },
    async revokeByGrantId(grantId) {
      await deps.db.deleteFrom("idp_models").where("grant_id", "=", grantId).execute();
    },
  };
}

let writes = 0;

// Expired artefacts are removed every 200 writes instead of by a timer, so nothing keeps the process alive.
async function sweepSometimes(deps: IdpDeps): Promise<void> {
  writes++;
  if (writes % 200 !== 0) return;
  await deps.db.deleteFrom("idp_models").where("expires_at", "<", deps.now().toISOString()).execute();
}

function clientAdapter(deps: IdpDeps): Adapter {
  const unsupported = async () => {
    throw new Error("registered clients are managed through the admin API, not by the provider");
  };
  return {
    async find(id) {
      const row = await deps.db
        .selectFrom("idp_clients")
        .selectAll()
        .where("client_id", "=", id)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        client_id: row.client_id,
        client_name: row.name,
        redirect_uris: JSON.parse(row.redirect_uris) as string[],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        ...(row.client_secret
          ? { client_secret: row.client_secret, token_endpoint_auth_method: "client_secret_basic" }
          : { token_endpoint_auth_method: "none" }),
      };
    },
    upsert: unsupported,
    findByUserCode: async () => undefined,
    findByUid: async () => undefined,
    consume: unsupported,
    destroy: unsupported,
    revokeByGrantId: async () => {},
  };
}
