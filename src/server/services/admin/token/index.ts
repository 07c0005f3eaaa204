import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type TokenService,
  TokenServiceListResponseSchema,
  TokenServiceRevokeResponseSchema,
} from "../../../../gen/metalstack/admin/v2/token_pb.js";
import type { AppContext } from "../../../context.js";
import { tokenToProto } from "../../../token/token-proto.js";

/** adminTokenService lets operators list any user's active tokens and revoke any token (with the tokens created from it). */
export function adminTokenService(ctx: AppContext): Partial<ServiceImpl<typeof TokenService>> {
  return {
    async list(req) {
      const records = await ctx.tokens.store.list({ userId: req.user || undefined, now: ctx.now() });
      return create(TokenServiceListResponseSchema, { tokens: records.map(tokenToProto) });
    },
    async revoke(req) {
      if (!req.uuid) throw new ConnectError("uuid: required; name the token to revoke", Code.InvalidArgument);
      const record = await ctx.tokens.store.get(req.uuid);
      if (!record) throw new ConnectError(`token "${req.uuid}" not found`, Code.NotFound);
      await ctx.tokens.revoke(record);
      return create(TokenServiceRevokeResponseSchema, {});
    },
  };
}
