import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { principalKey } from "../auth/principal.js";

/**
 * callerId returns the user id of the authenticated caller. Authentication runs before handlers, so
 * a missing principal means the method was reached without it; refuse rather than act anonymously.
 */
export function callerId(context: HandlerContext): string {
  const principal = context.values.get(principalKey);
  if (!principal)
    throw new ConnectError("this call needs a login; run `metalctl login`", Code.Unauthenticated);
  return principal.userId;
}
