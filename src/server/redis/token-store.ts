import type { Redis } from "ioredis";
import {
  KEEP_AFTER_EXPIRY_MS,
  type RefreshRecord,
  type RevokeFilter,
  type TokenRecord,
  type TokenStore,
} from "../token/token-store.js";

// Layout (prefix "metal:" by default). Every state change that must not race — revoke, the
// generation check of update, the single use of a refresh token — is one Lua script, so replicas
// sharing this Redis see one order of events. The scripts build key names from ids, which is fine on
// a single Redis or a replicated primary, not on Redis Cluster.
//   token:<id>            hash  rec (JSON without revocation and generation), gen, exp (ms), revoked (ISO)
//   tokens:all            zset  id scored by expiry (ms), for listing every live token
//   tokens:user:<user>    zset  id scored by expiry
//   tokens:session:<sid>  set   ids of one login session's user tokens
//   tokens:lineage:<lid>  set   ids of one lineage (a token and its refreshed successors)
//   tokens:children:<lid> set   ids of the tokens an API token of that lineage created
//   refresh:<hash>        hash  rec (JSON), used (ISO), revoked (ISO)
//   refresh:session:<sid> set   hashes of one session;  refresh:user:<user> set  hashes of one user

// Index sets live as long as their longest-lived member (PEXPIRETIME is -1 without a TTL).
const EXTEND = `
local function extend(key, at)
  if redis.call('PEXPIRETIME', key) < tonumber(at) then redis.call('PEXPIREAT', key, at) end
end`;

const INSERT = `${EXTEND}
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('token ' .. ARGV[1] .. ' already exists') end
redis.call('HSET', KEYS[1], 'rec', ARGV[2], 'gen', ARGV[3], 'exp', ARGV[4])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'revoked', ARGV[5]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
extend(KEYS[3], ARGV[6])
for i = 4, 6 do
  if KEYS[i] ~= '' then
    redis.call('SADD', KEYS[i], ARGV[1])
    extend(KEYS[i], ARGV[6])
  end
end
return 1`;

const UPDATE = `${EXTEND}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'gen') ~= ARGV[2] then return 0 end
if redis.call('HEXISTS', KEYS[1], 'revoked') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rec', ARGV[3], 'gen', ARGV[4], 'exp', ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
extend(KEYS[3], ARGV[6])
return 1`;

// KEYS[1]: index (zset or set) or '' for a single id; ARGV[1]: prefix, ARGV[2]: time, ARGV[3]: single id.
const REVOKE_TOKENS = `
local ids
if KEYS[1] == '' then ids = { ARGV[3] }
elseif redis.call('TYPE', KEYS[1]).ok == 'zset' then ids = redis.call('ZRANGE', KEYS[1], 0, -1)
else ids = redis.call('SMEMBERS', KEYS[1]) end
local n = 0
for _, id in ipairs(ids) do
  local key = ARGV[1] .. 'token:' .. id
  if redis.call('EXISTS', key) == 1 and redis.call('HSETNX', key, 'revoked', ARGV[2]) == 1 then n = n + 1 end
end
return n`;

// KEYS[1]: set of refresh hashes; ARGV[1]: prefix, ARGV[2]: time.
const REVOKE_REFRESH = `
local n = 0
for _, h in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[1] .. 'refresh:' .. h
  if redis.call('EXISTS', key) == 1 and redis.call('HSETNX', key, 'revoked', ARGV[2]) == 1 then n = n + 1 end
end
return n`;

const USE_REFRESH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local reused = 0
if redis.call('HEXISTS', KEYS[1], 'used') == 1 or redis.call('HEXISTS', KEYS[1], 'revoked') == 1 then
  reused = 1
else
  redis.call('HSET', KEYS[1], 'used', ARGV[1])
end
local v = redis.call('HMGET', KEYS[1], 'rec', 'used', 'revoked')
return { v[1], v[2] or '', v[3] or '', reused }`;

const INSERT_REFRESH = `${EXTEND}
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('refresh token already exists') end
redis.call('HSET', KEYS[1], 'rec', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'used', ARGV[2]) end
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'revoked', ARGV[3]) end
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[5])
extend(KEYS[2], ARGV[4])
extend(KEYS[3], ARGV[4])
return 1`;

type StoredToken = Omit<TokenRecord, "issuedAt" | "expiresAt" | "revokedAt" | "notAfter" | "generation"> & {
  issuedAt: string;
  expiresAt: string;
  notAfter?: string;
};

type StoredRefresh = Omit<RefreshRecord, "issuedAt" | "expiresAt" | "usedAt" | "revokedAt"> & {
  issuedAt: string;
  expiresAt: string;
};

/** createRedisTokenStore keeps tokens and refresh tokens in Redis, shared by every replica; `prefix` namespaces the keys. */
export function createRedisTokenStore(redis: Redis, prefix = "metal:"): TokenStore {
  const k = {
    token: (id: string) => `${prefix}token:${id}`,
    all: `${prefix}tokens:all`,
    user: (userId: string) => `${prefix}tokens:user:${userId}`,
    session: (sessionId: string) => `${prefix}tokens:session:${sessionId}`,
    lineage: (lineageId: string) => `${prefix}tokens:lineage:${lineageId}`,
    children: (lineageId: string) => `${prefix}tokens:children:${lineageId}`,
    refresh: (hash: string) => `${prefix}refresh:${hash}`,
    refreshSession: (sessionId: string) => `${prefix}refresh:session:${sessionId}`,
    refreshUser: (userId: string) => `${prefix}refresh:user:${userId}`,
  };
  const keepUntil = (expiresAt: Date) => Math.max(expiresAt.getTime(), Date.now()) + KEEP_AFTER_EXPIRY_MS;

  async function load(id: string): Promise<TokenRecord | undefined> {
    const h = await redis.hgetall(k.token(id));
    return h.rec ? tokenFromHash(h) : undefined;
  }

  // Reads the records of `ids`; ids whose record expired away are skipped.
  async function loadAll(ids: string[]): Promise<TokenRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(k.token(id));
    const records: TokenRecord[] = [];
    for (const [err, h] of (await pipeline.exec()) ?? []) {
      if (err) throw err;
      const hash = h as Record<string, string>;
      if (hash.rec) records.push(tokenFromHash(hash));
    }
    return records;
  }

  return {
    async insert(r) {
      await redis.eval(
        INSERT,
        6,
        k.token(r.id),
        k.all,
        k.user(r.userId),
        r.sessionId ? k.session(r.sessionId) : "",
        k.lineage(r.lineageId),
        r.parentId ? k.children(r.parentId) : "",
        r.id,
        JSON.stringify(storedToken(r)),
        String(r.generation),
        String(r.expiresAt.getTime()),
        r.revokedAt?.toISOString() ?? "",
        String(keepUntil(r.expiresAt)),
      );
    },
    get: load,
    async list({ userId, now }) {
      const index = userId === undefined ? k.all : k.user(userId);
      // Index entries of tokens that expired long ago point at dropped records; prune them here.
      await redis.zremrangebyscore(index, "-inf", now.getTime() - KEEP_AFTER_EXPIRY_MS);
      const ids = await redis.zrangebyscore(index, `(${now.getTime()}`, "+inf");
      const records = (await loadAll(ids)).filter((r) => !r.revokedAt && r.expiresAt > now);
      return records.sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime());
    },
    async update(r, expectedGeneration) {
      const ok = await redis.eval(
        UPDATE,
        3,
        k.token(r.id),
        k.all,
        k.user(r.userId),
        r.id,
        String(expectedGeneration),
        JSON.stringify(storedToken(r)),
        String(r.generation),
        String(r.expiresAt.getTime()),
        String(keepUntil(r.expiresAt)),
      );
      return ok === 1;
    },
    async revoke(filter: RevokeFilter, at) {
      const [index, id] =
        "id" in filter
          ? ["", filter.id]
          : "lineageId" in filter
            ? [k.lineage(filter.lineageId), ""]
            : "userId" in filter
              ? [k.user(filter.userId), ""]
              : [k.session(filter.sessionId), ""];
      return Number(await redis.eval(REVOKE_TOKENS, 1, index, prefix, at.toISOString(), id));
    },
    async children(lineageId) {
      return loadAll(await redis.smembers(k.children(lineageId)));
    },
    async getRefresh(hash) {
      const h = await redis.hgetall(k.refresh(hash));
      return h.rec ? refreshFromFields(h.rec, h.used, h.revoked) : undefined;
    },
    async insertRefresh(r) {
      const stored: StoredRefresh = {
        hash: r.hash,
        sessionId: r.sessionId,
        userId: r.userId,
        client: r.client,
        issuedAt: r.issuedAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
      };
      await redis.eval(
        INSERT_REFRESH,
        3,
        k.refresh(r.hash),
        k.refreshSession(r.sessionId),
        k.refreshUser(r.userId),
        JSON.stringify(stored),
        r.usedAt?.toISOString() ?? "",
        r.revokedAt?.toISOString() ?? "",
        String(keepUntil(r.expiresAt)),
        r.hash,
      );
    },
    async useRefresh(hash, at) {
      const reply = (await redis.eval(USE_REFRESH, 1, k.refresh(hash), at.toISOString())) as
        | [string, string, string, number]
        | null;
      if (!reply) return undefined;
      const [rec, used, revoked, reused] = reply;
      return { record: refreshFromFields(rec, used, revoked), reused: reused === 1 };
    },
    async revokeSession(sessionId, at) {
      const ts = at.toISOString();
      await redis.eval(REVOKE_REFRESH, 1, k.refreshSession(sessionId), prefix, ts);
      await redis.eval(REVOKE_TOKENS, 1, k.session(sessionId), prefix, ts, "");
    },
    async revokeRefreshOfUser(userId, at) {
      return Number(await redis.eval(REVOKE_REFRESH, 1, k.refreshUser(userId), prefix, at.toISOString()));
    },
    async prune({ tokensBefore }) {
      // Records and the per-user and per-session indexes expire by TTL. The index of every token has
      // none and only an unfiltered list trims it; entries of expired tokens are of no use to a list.
      const tokens = await redis.zremrangebyscore(k.all, "-inf", `(${tokensBefore.getTime()}`);
      return { tokens, refreshTokens: 0 };
    },
  };
}

function storedToken(r: TokenRecord): StoredToken {
  const { issuedAt, expiresAt, revokedAt: _revoked, notAfter, generation: _gen, ...rest } = r;
  return {
    ...rest,
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ...(notAfter ? { notAfter: notAfter.toISOString() } : {}),
  };
}

function tokenFromHash(h: Record<string, string>): TokenRecord {
  const s = JSON.parse(h.rec as string) as StoredToken;
  const record: TokenRecord = {
    ...s,
    issuedAt: new Date(s.issuedAt),
    expiresAt: new Date(s.expiresAt),
    lineageId: s.lineageId ?? s.id,
    notAfter: s.notAfter ? new Date(s.notAfter) : undefined,
    revokedAt: h.revoked ? new Date(h.revoked) : undefined,
    generation: Number(h.gen),
  };
  return record;
}

function refreshFromFields(
  rec: string,
  used: string | undefined,
  revoked: string | undefined,
): RefreshRecord {
  const s = JSON.parse(rec) as StoredRefresh;
  return {
    ...s,
    issuedAt: new Date(s.issuedAt),
    expiresAt: new Date(s.expiresAt),
    usedAt: used ? new Date(used) : undefined,
    revokedAt: revoked ? new Date(revoked) : undefined,
  };
}
