import type { AppContext } from "./context.js";
import { deleteBefore, type PruneTarget } from "./store/prune.js";
import { KEEP_AFTER_EXPIRY_MS } from "./token/token-store.js";

/** JanitorCounts are how many rows (Redis: index entries) one janitor run removed, per kind. */
export interface JanitorCounts {
  tokens: number;
  refreshTokens: number;
  tenantInvites: number;
  projectInvites: number;
  loginState: number;
  idpArtifacts: number;
  auditRows: number;
}

/** JanitorContext is what a janitor run reads: the store, the clock, the retention settings. */
export type JanitorContext = Pick<AppContext, "db" | "tokens" | "now"> & {
  config: Pick<AppContext["config"], "auditRetentionMs" | "userTokenLifetimeMs">;
};

/**
 * runJanitor deletes what has expired: tokens and refresh tokens (through the token store; a
 * revocation stays as long as its token could be presented), tenant and project invites, OAuth
 * login state (codes, device codes, pending logins), the embedded identity provider's artefacts,
 * and audit rows older than the retention (0 keeps them). Every delete is "expired before a
 * cutoff", so replicas may run it at the same time. `signal` stops it between batches.
 */
export async function runJanitor(ctx: JanitorContext, signal?: AbortSignal): Promise<JanitorCounts> {
  const now = ctx.now();
  const db = ctx.db.kysely;
  const prune = (t: PruneTarget) => (signal?.aborted ? Promise.resolve(0) : deleteBefore(db, t, signal));
  const { tokens, refreshTokens } = await ctx.tokens.store.prune({
    // Like Redis, the SQL store keeps expired records a while, so a token presented again (its
    // signature check is cached) is refused as expired rather than unknown.
    tokensBefore: new Date(now.getTime() - KEEP_AFTER_EXPIRY_MS),
    // Access tokens of a session may outlive its end by one lifetime (issued at its last refresh);
    // until they expire, logout with the refresh token must still find the session to revoke them.
    refreshBefore: new Date(now.getTime() - Math.max(KEEP_AFTER_EXPIRY_MS, ctx.config.userTokenLifetimeMs)),
  });
  const expiry = (table: PruneTarget["table"], key: string[]): PruneTarget => ({
    table,
    key,
    column: "expires_at",
    before: now,
  });
  return {
    tokens,
    refreshTokens,
    tenantInvites: await prune(expiry("tenant_invites", ["id"])),
    projectInvites: await prune(expiry("project_invites", ["id"])),
    loginState: await prune(expiry("login_state", ["key"])),
    idpArtifacts: await prune(expiry("idp_models", ["model", "id"])),
    auditRows:
      ctx.config.auditRetentionMs > 0
        ? await prune({
            table: "audit_log",
            key: ["id"],
            column: "time",
            before: new Date(now.getTime() - ctx.config.auditRetentionMs),
          })
        : 0,
  };
}

/** Janitor is the running janitor; `stopped` settles once the run in progress (if any) is done. */
export interface Janitor {
  stopped: Promise<void>;
}

/**
 * startJanitor runs the janitor now and then every `config.janitorIntervalMs` until `ctx.shutdown`
 * aborts. Each run logs its counts; a failed run (say, the database is briefly away) is logged and
 * the next one tries again. Runs never overlap, and the timer does not keep the process alive.
 */
export function startJanitor(ctx: AppContext): Janitor {
  let current: Promise<void> = Promise.resolve();
  let running = false;
  const run = () => {
    if (running || ctx.shutdown.aborted) return;
    running = true;
    const started = performance.now();
    current = runJanitor(ctx, ctx.shutdown)
      .then(
        (counts) =>
          ctx.log.info("janitor removed expired rows", {
            ...counts,
            durationMs: Math.round(performance.now() - started),
          }),
        (err: unknown) =>
          ctx.log.warn("janitor run failed; the next run tries again", {
            error: err instanceof Error ? err.message : String(err),
          }),
      )
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(run, ctx.config.janitorIntervalMs).unref();
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(timer);
      void current.then(resolve);
    };
    if (ctx.shutdown.aborted) stop();
    else ctx.shutdown.addEventListener("abort", stop, { once: true });
  });
  run();
  return { stopped };
}
