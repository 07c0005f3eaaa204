import { CompiledQuery, type Selectable } from "kysely";
import { compiledOnce } from "../store/compiled-once.js";
import type { Db } from "../store/db.js";
import { deleteBefore } from "../store/prune.js";
import type { RefreshTokenRow, TokenRow } from "../store/token-schema.js";
import type { RefreshRecord, RevokeFilter, TokenRecord, TokenStore } from "./token-store.js";

/** createSqlTokenStore keeps tokens in the server's database (SQLite or PostgreSQL). */
export function createSqlTokenStore(db: Db): TokenStore {
  const k = db.kysely;
  return {
    async insert(record) {
      await k.insertInto("tokens").values(toRow(record)).execute();
    },
    async get(id) {
      // Every authenticated call reads its token: the statement text is built once.
      const text = compiledOnce(
        k,
        "tokens by id",
        () => k.selectFrom("tokens").selectAll().where("id", "=", ""),
        { keepRows: true },
      );
      const [row] = (await k.executeQuery<Selectable<TokenRow>>(CompiledQuery.raw(text, [id]))).rows;
      return row ? fromRow(row) : undefined;
    },
    async list({ userId, now }) {
      let q = k
        .selectFrom("tokens")
        .selectAll()
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now.toISOString());
      if (userId !== undefined) q = q.where("user_id", "=", userId);
      const rows = await q.orderBy("issued_at").execute();
      return rows.map(fromRow);
    },
    async update(record, expectedGeneration) {
      const { id, ...rest } = toRow(record);
      const res = await k
        .updateTable("tokens")
        .set(rest)
        .where("id", "=", id)
        .where("generation", "=", expectedGeneration)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
    async revoke(filter: RevokeFilter, at) {
      let q = k.updateTable("tokens").set({ revoked_at: at.toISOString() }).where("revoked_at", "is", null);
      if ("id" in filter) q = q.where("id", "=", filter.id);
      else if ("lineageId" in filter) q = q.where("lineage_id", "=", filter.lineageId);
      else if ("userId" in filter) q = q.where("user_id", "=", filter.userId);
      else q = q.where("session_id", "=", filter.sessionId);
      const res = await q.executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
    async children(lineageId) {
      const rows = await k.selectFrom("tokens").selectAll().where("parent_id", "=", lineageId).execute();
      return rows.map(fromRow);
    },
    async insertRefresh(r) {
      await k
        .insertInto("refresh_tokens")
        .values({
          hash: r.hash,
          session_id: r.sessionId,
          user_id: r.userId,
          client: r.client,
          issued_at: r.issuedAt.toISOString(),
          expires_at: r.expiresAt.toISOString(),
          used_at: r.usedAt?.toISOString() ?? null,
          revoked_at: r.revokedAt?.toISOString() ?? null,
        })
        .execute();
    },
    async getRefresh(hash) {
      const row = await k
        .selectFrom("refresh_tokens")
        .selectAll()
        .where("hash", "=", hash)
        .executeTakeFirst();
      return row ? refreshFromRow(row) : undefined;
    },
    async useRefresh(hash, at) {
      // The conditional update is the atomic step: of two concurrent exchanges only one sees a hit.
      const res = await k
        .updateTable("refresh_tokens")
        .set({ used_at: at.toISOString() })
        .where("hash", "=", hash)
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      const row = await k
        .selectFrom("refresh_tokens")
        .selectAll()
        .where("hash", "=", hash)
        .executeTakeFirst();
      if (!row) return undefined;
      return { record: refreshFromRow(row), reused: Number(res.numUpdatedRows) !== 1 };
    },
    async revokeSession(sessionId, at) {
      const ts = at.toISOString();
      await k
        .updateTable("refresh_tokens")
        .set({ revoked_at: ts })
        .where("session_id", "=", sessionId)
        .where("revoked_at", "is", null)
        .execute();
      await k
        .updateTable("tokens")
        .set({ revoked_at: ts })
        .where("session_id", "=", sessionId)
        .where("revoked_at", "is", null)
        .execute();
    },
    async revokeRefreshOfUser(userId, at) {
      const res = await k
        .updateTable("refresh_tokens")
        .set({ revoked_at: at.toISOString() })
        .where("user_id", "=", userId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
    async prune({ tokensBefore, refreshBefore }) {
      // Only the expiry decides: a revoked row stays until its token expires, or the token would be
      // "unknown" instead of "revoked" (and a revocation must never end before the token does).
      const tokens = await deleteBefore(k, {
        table: "tokens",
        key: ["id"],
        column: "expires_at",
        before: tokensBefore,
      });
      const refreshTokens = await deleteBefore(k, {
        table: "refresh_tokens",
        key: ["hash"],
        column: "expires_at",
        before: refreshBefore,
      });
      return { tokens, refreshTokens };
    },
  };
}

function toRow(r: TokenRecord): TokenRow {
  return {
    id: r.id,
    user_id: r.userId,
    kind: r.kind,
    description: r.description,
    permissions: JSON.stringify(r.permissions),
    project_roles: JSON.stringify(r.projectRoles),
    tenant_roles: JSON.stringify(r.tenantRoles),
    admin_role: r.adminRole,
    issued_at: r.issuedAt.toISOString(),
    expires_at: r.expiresAt.toISOString(),
    revoked_at: r.revokedAt?.toISOString() ?? null,
    lineage_id: r.lineageId,
    parent_id: r.parentId ?? null,
    not_after: r.notAfter?.toISOString() ?? null,
    session_id: r.sessionId ?? null,
    generation: r.generation,
  };
}

function fromRow(row: Selectable<TokenRow>): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind === "api" ? "api" : "user",
    description: row.description,
    permissions: JSON.parse(row.permissions),
    projectRoles: JSON.parse(row.project_roles),
    tenantRoles: JSON.parse(row.tenant_roles),
    adminRole: Number(row.admin_role),
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : undefined,
    lineageId: row.lineage_id ?? row.id,
    parentId: row.parent_id ?? undefined,
    notAfter: row.not_after ? new Date(row.not_after) : undefined,
    sessionId: row.session_id ?? undefined,
    generation: Number(row.generation),
  };
}

function refreshFromRow(row: Selectable<RefreshTokenRow>): RefreshRecord {
  return {
    hash: row.hash,
    sessionId: row.session_id,
    userId: row.user_id,
    client: row.client,
    issuedAt: new Date(row.issued_at),
    expiresAt: new Date(row.expires_at),
    usedAt: row.used_at ? new Date(row.used_at) : undefined,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : undefined,
  };
}
