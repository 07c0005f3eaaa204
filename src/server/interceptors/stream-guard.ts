import {
  Code,
  ConnectError,
  type Interceptor,
  type StreamRequest,
  type StreamResponse,
  type UnaryRequest,
  type UnaryResponse,
} from "@connectrpc/connect";
import { Scope } from "../../gen/metalstack/api/v2/common_pb.js";
import type { AccessChange } from "../authz/access-changes.js";
import { decide } from "../authz/decide.js";
import type { MethodRule } from "../authz/permission-table.js";
import type { AppContext } from "../context.js";
import { unauthenticated } from "../token/tokens.js";
import { permissionDenied } from "./authorize.js";
import { type CallInfo, callInfoKey } from "./call-info.js";

// setTimeout holds at most this many milliseconds; a later expiry re-arms the timer when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * guardStreams keeps authorizing every response stream for as long as it runs, whatever the method:
 * before each message the caller's token, user, role and subject are checked again as a new request
 * would be; and an access change that concerns the call (the user's roles or memberships, a revocation
 * of the user's tokens, the deletion of the stream's project or tenant — made on this replica or
 * relayed from another) or the token's expiry ends an idle stream at once. A stream ends with
 * Unauthenticated (token revoked or expired, user gone), PermissionDenied (role lost) or NotFound
 * (project or tenant deleted).
 */
export function guardStreams(ctx: AppContext): Interceptor {
  // A single response was authorized before the handler ran; only response streams need a guard.
  return (next) => (req) =>
    req.method.methodKind === "unary" || req.method.methodKind === "client_streaming"
      ? next(req)
      : guardedResponse(ctx, next, req);
}

async function guardedResponse(
  ctx: AppContext,
  next: (req: UnaryRequest | StreamRequest) => Promise<UnaryResponse | StreamResponse>,
  req: UnaryRequest | StreamRequest,
): Promise<UnaryResponse | StreamResponse> {
  const res = await next(req);
  if (!res.stream) return res;
  const info = req.contextValues.get(callInfoKey);
  const rule = info?.rule;
  if (!info?.token || !rule || rule.scope === Scope.PUBLIC) return res;
  return { ...res, message: guarded(ctx, rule, info, res.message) };
}

/** stillAllowed decides the call again on fresh facts; it returns the error that ends it, or undefined. */
async function stillAllowed(
  ctx: AppContext,
  rule: MethodRule,
  info: CallInfo,
): Promise<ConnectError | undefined> {
  const presented = info.token;
  if (!presented) return unauthenticated("the stream's token is gone");
  try {
    const token = await ctx.tokens.current(presented.id);
    if ((info.tokenExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY) <= ctx.now().getTime()) {
      return unauthenticated("token expired");
    }
    const memberships = ctx.tokens.memberships;
    const holdings = await memberships.holdings(token.userId);
    if (!holdings) return unauthenticated("the token's user no longer exists");
    const subject = rule.subjectField ? info.subject : undefined;
    if (subject && rule.scope === Scope.PROJECT && (await memberships.projectTenant(subject)) === undefined) {
      return new ConnectError(`project "${subject}" was deleted; the stream ends`, Code.NotFound);
    }
    if (subject && rule.scope === Scope.TENANT && !(await memberships.tenantExists(subject))) {
      return new ConnectError(`tenant "${subject}" was deleted; the stream ends`, Code.NotFound);
    }
    const facts = { grants: token, holdings, projectTenant: (id: string) => memberships.projectTenant(id) };
    const decision = await decide(rule, subject, facts);
    return decision.allowed ? undefined : permissionDenied(rule.procedure, decision.needed);
  } catch (err) {
    return ConnectError.from(err);
  }
}

/** concerns tells whether an access change may take this call's access away. */
function concerns(change: AccessChange, rule: MethodRule, info: CallInfo, userId: string): boolean {
  switch (change.kind) {
    case "membership":
    case "revocation":
      return change.userId === userId;
    case "project-deleted":
      return rule.scope === Scope.PROJECT && change.projectId === info.subject;
    case "tenant-deleted":
      return rule.scope === Scope.TENANT && change.tenantId === info.subject;
  }
}

/**
 * watchAccess re-checks the call whenever a concerning access change arrives and when the token
 * expires; `lost` rejects with the error that ends the call. Checks run one at a time.
 */
function watchAccess(ctx: AppContext, rule: MethodRule, info: CallInfo, userId: string) {
  let fail!: (err: ConnectError) => void;
  const lost = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Nobody may be waiting on it when it fails (the consumer is busy); that is not an unhandled rejection.
  lost.catch(() => undefined);
  let stopped = false;
  let checking: Promise<void> | undefined;
  let again = false;
  const check = () => {
    if (stopped) return;
    if (checking) {
      again = true;
      return;
    }
    checking = stillAllowed(ctx, rule, info).then((denied) => {
      checking = undefined;
      if (denied) {
        stop();
        fail(denied);
      } else if (again) {
        again = false;
        check();
      }
    });
  };
  const unsubscribe = ctx.accessChanges.subscribe((change) => {
    if (concerns(change, rule, info, userId)) check();
  });
  let timer: NodeJS.Timeout | undefined;
  const armExpiry = () => {
    const at = info.tokenExpiresAt ?? info.token?.expiresAt;
    if (!at || stopped) return;
    const wait = Math.max(0, at.getTime() - ctx.now().getTime());
    timer = setTimeout(
      () => {
        check();
        if (wait > MAX_TIMER_MS) armExpiry();
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
  };
  armExpiry();
  function stop() {
    stopped = true;
    unsubscribe();
    clearTimeout(timer);
  }
  return { lost, stop };
}

/**
 * guarded passes the handler's messages on, each only after the call was authorized again, and ends
 * the stream with the error as soon as access is lost, even while the handler has nothing to send.
 */
async function* guarded<T>(
  ctx: AppContext,
  rule: MethodRule,
  info: CallInfo,
  source: AsyncIterable<T>,
): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const watch = watchAccess(ctx, rule, info, info.token?.userId ?? "");
  try {
    for (;;) {
      const next = await Promise.race([it.next(), watch.lost]);
      if (next.done) return;
      const denied = await stillAllowed(ctx, rule, info);
      if (denied) throw denied;
      yield next.value;
    }
  } finally {
    watch.stop();
    // The handler may be waiting for its next message; its return runs when that wait ends (the
    // call's signal aborts once the response is closed), so its clean-up is not skipped.
    void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}
