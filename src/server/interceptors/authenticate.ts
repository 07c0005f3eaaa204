import type { ContextValues, Interceptor } from "@connectrpc/connect";
import { Scope } from "../../gen/metalstack/api/v2/common_pb.js";
import { principalKey } from "../auth/principal.js";
import type { PermissionTable } from "../authz/permission-table.js";
import type { Tokens } from "../token/tokens.js";
import { unauthenticated } from "../token/tokens.js";
import { type CallInfo, callInfoKey, procedureOf } from "./call-info.js";

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * authenticate verifies the bearer token, when one is presented, and puts the caller and the method's
 * rule into the context. Public methods skip verification: they never depend on who calls.
 */
export function authenticate(tokens: Tokens, table: PermissionTable): Interceptor {
  return (next) => (req) => {
    const procedure = procedureOf(req.method);
    const rule = table.rules.get(procedure);
    const info: CallInfo = { procedure, rule, subject: "", tenant: "", project: "" };
    req.contextValues.set(callInfoKey, info);
    const header = rule && rule.scope !== Scope.PUBLIC ? req.header.get("authorization") : null;
    // Without a token to verify there is nothing to wait for: the call goes on in the same tick.
    if (!header) return next(req);
    return verified(tokens, header, info, req.contextValues).then(() => next(req));
  };
}

async function verified(
  tokens: Tokens,
  header: string,
  info: CallInfo,
  values: ContextValues,
): Promise<void> {
  const match = BEARER.exec(header);
  if (!match?.[1]) throw unauthenticated('authorization header must be "Bearer <token>"');
  const { principal, record, expiresAt } = await tokens.authenticate(match[1]);
  values.set(principalKey, principal);
  info.token = record;
  info.tokenExpiresAt = expiresAt;
}
