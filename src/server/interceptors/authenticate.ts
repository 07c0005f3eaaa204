import type { Interceptor } from "@connectrpc/connect";
import { Scope } from "../../gen/metalstack/api/v2/common_pb.js";
import { principalKey } from "../auth/principal.js";
import type { PermissionTable } from "../authz/permission-table.js";
import type { Tokens } from "../token/tokens.js";
import { unauthenticated } from "../token/tokens.js";
import { callInfoKey } from "./call-info.js";

/**
 * authenticate verifies the bearer token, when one is presented, and puts the caller into the
 * context. Public methods skip verification: they never depend on who calls.
 */
export function authenticate(tokens: Tokens, table: PermissionTable): Interceptor {
  return (next) => async (req) => {
    const procedure = `/${req.service.typeName}/${req.method.name}`;
    const info = { procedure, subject: "", tenant: "", project: "" };
    req.contextValues.set(callInfoKey, info);
    const rule = table.rules.get(procedure);
    if (!rule || rule.scope === Scope.PUBLIC) return next(req);
    const header = req.header.get("authorization");
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1]) throw unauthenticated('authorization header must be "Bearer <token>"');
      const { principal, record, expiresAt } = await tokens.authenticate(match[1]);
      req.contextValues.set(principalKey, principal);
      req.contextValues.set(callInfoKey, { ...info, token: record, tokenExpiresAt: expiresAt });
    }
    return next(req);
  };
}
