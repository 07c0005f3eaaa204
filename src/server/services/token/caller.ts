import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { principalKey } from "../../auth/principal.js";
import type { AccessFacts } from "../../authz/decide.js";
import type { AppContext } from "../../context.js";
import { callInfoKey } from "../../interceptors/call-info.js";
import type { TokenRecord } from "../../token/token-store.js";
import { unauthenticated } from "../../token/tokens.js";

/** Caller is the authenticated caller of a self-scoped call with its token and current holdings. */
export interface Caller {
  userId: string;
  token: TokenRecord;
  facts: AccessFacts;
}

/** callerOf reads the caller the interceptors authenticated; it fails closed when there is none. */
export async function callerOf(ctx: AppContext, hc: HandlerContext): Promise<Caller> {
  const principal = hc.values.get(principalKey);
  const token = hc.values.get(callInfoKey)?.token;
  if (!principal || !token) throw new ConnectError("no authenticated caller", Code.Unauthenticated);
  const holdings = await ctx.tokens.memberships.holdings(principal.userId);
  if (!holdings) throw unauthenticated("the token's user no longer exists");
  return {
    userId: principal.userId,
    token,
    facts: { grants: token, holdings, projectTenant: (id) => ctx.tokens.memberships.projectTenant(id) },
  };
}
