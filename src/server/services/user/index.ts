import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { type UserService, UserServiceGetResponseSchema } from "../../../gen/metalstack/api/v2/user_pb.js";
import type { AppContext } from "../../context.js";
import { callerId } from "../../tenancy/caller.js";
import { whoami } from "../../tenancy/whoami.js";

/** userService answers whoami for the caller. */
export function userService(ctx: AppContext): Partial<ServiceImpl<typeof UserService>> {
  return {
    async get(_req, context) {
      return create(UserServiceGetResponseSchema, { user: await whoami(ctx.db.kysely, callerId(context)) });
    },
  };
}
