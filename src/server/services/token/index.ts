import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { MethodPermission } from "../../../gen/metalstack/api/v2/method_pb.js";
import {
  type TokenService,
  TokenServiceCreateResponseSchema,
  TokenServiceGetResponseSchema,
  TokenServiceListResponseSchema,
  TokenServiceRefreshResponseSchema,
  TokenServiceRevokeAllResponseSchema,
  TokenServiceRevokeResponseSchema,
  TokenServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/token_pb.js";
import type { AppContext } from "../../context.js";
import { checkExpiry, checkGrantable, type RequestedGrants } from "../../token/grant-check.js";
import { tokenToProto } from "../../token/token-proto.js";
import type { TokenRecord } from "../../token/token-store.js";
import { type Caller, callerOf } from "./caller.js";

function grantsFrom(g: {
  permissions: MethodPermission[];
  projectRoles: Record<string, number>;
  tenantRoles: Record<string, number>;
  adminRole?: number;
}): RequestedGrants {
  return {
    permissions: g.permissions.map((p) => ({ subject: p.subject, methods: [...p.methods] })),
    projectRoles: { ...g.projectRoles },
    tenantRoles: { ...g.tenantRoles },
    adminRole: g.adminRole ?? 0,
  };
}

/**
 * tokenService lets a user manage their own tokens. Every grant and expiry is checked against what
 * the caller holds right now; a token made by an API token never outlives it.
 */
export function tokenService(ctx: AppContext): Partial<ServiceImpl<typeof TokenService>> {
  const own = async (caller: Caller, uuid: string, field = "uuid"): Promise<TokenRecord> => {
    if (!uuid) throw new ConnectError(`${field}: required; name the token`, Code.InvalidArgument);
    const record = await ctx.tokens.store.get(uuid);
    if (!record || record.userId !== caller.userId || record.revokedAt || record.expiresAt <= ctx.now()) {
      throw new ConnectError(`token "${uuid}" not found; list yours with TokenService.List`, Code.NotFound);
    }
    return record;
  };
  const bounds = (caller: Caller, notAfter?: Date) => ({
    now: ctx.now(),
    maxLifetimeMs: ctx.config.maxTokenLifetimeMs,
    parent: caller.token.kind === "api" ? caller.token : undefined,
    notAfter,
  });

  return {
    async create(req, hc) {
      const caller = await callerOf(ctx, hc);
      const grants = grantsFrom(req);
      await checkGrantable(ctx.permissions, caller.facts, grants);
      const expiresAt = checkExpiry("expires", req.expires, bounds(caller));
      const { secret, token } = await ctx.tokens.issueApiToken({
        userId: caller.userId,
        description: req.description,
        ...grants,
        expiresAt,
        parentId: caller.token.kind === "api" ? caller.token.id : undefined,
        notAfter: caller.token.kind === "api" ? caller.token.expiresAt : undefined,
      });
      return create(TokenServiceCreateResponseSchema, { token: tokenToProto(token), secret });
    },

    async get(req, hc) {
      const record = await own(await callerOf(ctx, hc), req.uuid);
      return create(TokenServiceGetResponseSchema, { token: tokenToProto(record) });
    },

    async list(_req, hc) {
      const caller = await callerOf(ctx, hc);
      const records = await ctx.tokens.store.list({ userId: caller.userId, now: ctx.now() });
      return create(TokenServiceListResponseSchema, { tokens: records.map(tokenToProto) });
    },

    async update(req, hc) {
      const caller = await callerOf(ctx, hc);
      const record = await own(caller, req.uuid);
      if (record.kind !== "api") {
        throw new ConnectError(
          `token "${req.uuid}" is a login token; only API tokens can be changed`,
          Code.FailedPrecondition,
        );
      }
      const expected = Number(req.updateMeta?.generation ?? 0n);
      if (expected !== 0 && expected !== record.generation) {
        throw new ConnectError(
          `token "${req.uuid}" was changed by someone else; read it again`,
          Code.FailedPrecondition,
        );
      }
      const next: TokenRecord = { ...record, generation: record.generation + 1 };
      if (req.description !== undefined) next.description = req.description;
      if (req.grants) {
        const grants = grantsFrom(req.grants);
        await checkGrantable(ctx.permissions, caller.facts, grants);
        Object.assign(next, grants);
      }
      if (req.expires) next.expiresAt = checkExpiry("expires", req.expires, bounds(caller, record.notAfter));
      if (!(await ctx.tokens.store.update(next, record.generation))) {
        throw new ConnectError(
          `token "${req.uuid}" was changed by someone else; read it again`,
          Code.FailedPrecondition,
        );
      }
      return create(TokenServiceUpdateResponseSchema, { token: tokenToProto(next) });
    },

    async revoke(req, hc) {
      const record = await own(await callerOf(ctx, hc), req.uuid);
      await ctx.tokens.store.revoke({ id: record.id }, ctx.now());
      return create(TokenServiceRevokeResponseSchema, {});
    },

    async refresh(req, hc) {
      const caller = await callerOf(ctx, hc);
      const old = req.uuid ? await own(caller, req.uuid) : caller.token;
      const now = ctx.now();
      let record: TokenRecord;
      if (old.kind === "user") {
        record = {
          ...old,
          id: randomUUID(),
          issuedAt: now,
          expiresAt: new Date(now.getTime() + ctx.config.userTokenLifetimeMs),
          generation: 1,
        };
      } else {
        await checkGrantable(ctx.permissions, caller.facts, old);
        const refreshingSelf = old.id === caller.token.id;
        const b = {
          ...bounds(caller, old.notAfter),
          parent: refreshingSelf ? undefined : bounds(caller).parent,
        };
        const expiresAt = req.expires
          ? checkExpiry("expires", req.expires, b)
          : new Date(
              Math.min(
                now.getTime() + (old.expiresAt.getTime() - old.issuedAt.getTime()),
                now.getTime() + ctx.config.maxTokenLifetimeMs,
                old.notAfter?.getTime() ?? Number.POSITIVE_INFINITY,
                b.parent?.expiresAt.getTime() ?? Number.POSITIVE_INFINITY,
              ),
            );
        record = { ...old, id: randomUUID(), issuedAt: now, expiresAt, generation: 1, revokedAt: undefined };
      }
      await ctx.tokens.store.insert(record);
      await ctx.tokens.store.revoke({ id: old.id }, now);
      const secret = await ctx.tokens.sign(record);
      return create(TokenServiceRefreshResponseSchema, { token: tokenToProto(record), secret });
    },

    async revokeAll(_req, hc) {
      const caller = await callerOf(ctx, hc);
      const now = ctx.now();
      const revoked = await ctx.tokens.store.revoke({ userId: caller.userId }, now);
      await ctx.tokens.store.revokeRefreshOfUser(caller.userId, now);
      return create(TokenServiceRevokeAllResponseSchema, { revoked });
    },
  };
}
