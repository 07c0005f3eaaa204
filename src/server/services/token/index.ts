import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { MethodPermission } from "../../../gen/metalstack/api/v2/method_pb.js";
import {
  type TokenService,
  TokenServiceCreateResponseSchema,
  TokenServiceGetCurrentResponseSchema,
  TokenServiceGetResponseSchema,
  TokenServiceListResponseSchema,
  TokenServiceRefreshResponseSchema,
  TokenServiceRevokeAllResponseSchema,
  TokenServiceRevokeResponseSchema,
  TokenServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/token_pb.js";
import type { AppContext } from "../../context.js";
import { checkGrantSubjectsExist, type RequestedGrants } from "../../token/grant-check.js";
import {
  checkExpiry,
  checkPower,
  clampExpiry,
  type Issuer,
  mayActOn,
  type Produced,
} from "../../token/subset-rule.js";
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
 * tokenService lets a caller manage the tokens it is or created. Every token it produces — create,
 * update, refresh — goes through the subset rule (token/subset-rule.ts): no more power than the
 * caller's effective grants right now, no longer than the caller's own bounds.
 */
export function tokenService(ctx: AppContext): Partial<ServiceImpl<typeof TokenService>> {
  const descendants = (lineageId: string) => ctx.tokens.descendants(lineageId);
  // A token the caller may not act on answers exactly like one that does not exist.
  const own = async (caller: Caller, uuid: string): Promise<TokenRecord> => {
    if (!uuid) throw new ConnectError("uuid: required; name the token", Code.InvalidArgument);
    const record = await ctx.tokens.store.get(uuid);
    if (
      !record ||
      record.revokedAt ||
      record.expiresAt <= ctx.now() ||
      !(await mayActOn(caller.token, record, descendants))
    ) {
      throw new ConnectError(`token "${uuid}" not found; list yours with TokenService.List`, Code.NotFound);
    }
    return record;
  };
  const issuer = (caller: Caller): Issuer => ({ via: "token", token: caller.token, facts: caller.facts });
  const lifetimes = () => ctx.config;

  return {
    async create(req, hc) {
      const caller = await callerOf(ctx, hc);
      const grants = grantsFrom(req);
      const produced: Produced = { kind: "api" };
      await checkPower(ctx.permissions, issuer(caller), produced, grants);
      await checkGrantSubjectsExist(ctx.db.kysely, ctx.permissions, grants);
      const expiresAt = checkExpiry("expires", req.expires, issuer(caller), produced, ctx.now(), lifetimes());
      const { secret, token } = await ctx.tokens.issueApiToken({
        userId: caller.userId,
        description: req.description,
        ...grants,
        expiresAt,
        parent: caller.token.kind === "api" ? caller.token : undefined,
      });
      return create(TokenServiceCreateResponseSchema, { token: tokenToProto(token), secret });
    },

    async get(req, hc) {
      const record = await own(await callerOf(ctx, hc), req.uuid);
      return create(TokenServiceGetResponseSchema, { token: tokenToProto(record) });
    },

    // The request names nothing: the answer is the presented token, which authentication just read afresh.
    async getCurrent(_req, hc) {
      const caller = await callerOf(ctx, hc);
      return create(TokenServiceGetCurrentResponseSchema, { token: tokenToProto(caller.token) });
    },

    async list(_req, hc) {
      const caller = await callerOf(ctx, hc);
      const records = await ctx.tokens.store.list({ userId: caller.userId, now: ctx.now() });
      const visible = [];
      for (const r of records) if (await mayActOn(caller.token, r, descendants)) visible.push(r);
      return create(TokenServiceListResponseSchema, { tokens: visible.map(tokenToProto) });
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
      const produced: Produced = { kind: "api", target: record };
      const next: TokenRecord = { ...record, generation: record.generation + 1 };
      if (req.description !== undefined) next.description = req.description;
      if (req.grants) {
        const grants = grantsFrom(req.grants);
        await checkPower(ctx.permissions, issuer(caller), produced, grants);
        await checkGrantSubjectsExist(ctx.db.kysely, ctx.permissions, grants);
        Object.assign(next, grants);
      }
      if (req.expires) {
        next.expiresAt = checkExpiry(
          "expires",
          req.expires,
          issuer(caller),
          produced,
          ctx.now(),
          lifetimes(),
        );
      }
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
      await ctx.tokens.revoke(record);
      return create(TokenServiceRevokeResponseSchema, {});
    },

    async refresh(req, hc) {
      const caller = await callerOf(ctx, hc);
      const old = req.uuid ? await own(caller, req.uuid) : caller.token;
      const now = ctx.now();
      const produced: Produced = { kind: old.kind, target: old };
      await checkPower(ctx.permissions, issuer(caller), produced, old);
      // Unless the caller names an expiry, the new token lives as long as the old one did, within bounds.
      const expiresAt = req.expires
        ? checkExpiry("expires", req.expires, issuer(caller), produced, now, lifetimes())
        : clampExpiry(
            new Date(now.getTime() + (old.expiresAt.getTime() - old.issuedAt.getTime())),
            issuer(caller),
            produced,
            now,
            lifetimes(),
          );
      const record: TokenRecord = {
        ...old,
        id: randomUUID(),
        issuedAt: now,
        expiresAt,
        generation: 1,
        revokedAt: undefined,
      };
      await ctx.tokens.replace(old, record);
      const secret = await ctx.tokens.sign(record);
      return create(TokenServiceRefreshResponseSchema, { token: tokenToProto(record), secret });
    },

    async revokeAll(req, hc) {
      const caller = await callerOf(ctx, hc);
      if (req.loginSessionsOnly) {
        // An API token must not end the login sessions of the user it acts for.
        if (caller.token.kind === "api") {
          throw new ConnectError(
            "login_sessions_only: an API token cannot end login sessions; call it with a login token (metalctl login)",
            Code.PermissionDenied,
          );
        }
        return create(TokenServiceRevokeAllResponseSchema, {
          revoked: await ctx.tokens.revokeUserSessions(caller.userId),
        });
      }
      // An API token signs out only what it is and created; a login token signs its user out everywhere.
      const revoked =
        caller.token.kind === "api"
          ? await ctx.tokens.revoke(caller.token)
          : await ctx.tokens.revokeUser(caller.userId);
      return create(TokenServiceRevokeAllResponseSchema, { revoked });
    },
  };
}
