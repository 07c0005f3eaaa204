import type { Redis } from "ioredis";
import type { AuditLogWriter } from "./audit/audit-log-writer.js";
import type { AccessChanges } from "./authz/access-changes.js";
import type { PermissionTable } from "./authz/permission-table.js";
import type { ServerConfig } from "./config.js";
import type { ConsoleHub } from "./console/console-hub.js";
import type { RpcMetrics } from "./http/metrics.js";
import type { Logger } from "./log.js";
import type { MachineEventNotifier } from "./machines/event-notifier.js";
import type { LoginStateStore } from "./oauth/login-state.js";
import type { IdentityRuntime } from "./oauth/runtime.js";
import type { Db } from "./store/db.js";
import type { ProjectDeletionGuard } from "./tenancy/project-deletion-guards.js";
import type { Tokens } from "./token/tokens.js";

/**
 * AppContext is everything a service, interceptor or HTTP route may use. It is built once per
 * server by `createAppContext` (app-context.ts) and passed explicitly; there are no singletons and
 * no side tables keyed by the context.
 */
export interface AppContext {
  config: ServerConfig;
  db: Db;
  /** Redis client shared by the Redis-backed stores; set only when --redis-url is given. */
  redis?: Redis;
  log: Logger;
  /** Current time; tests replace it to move time forward. */
  now: () => Date;
  /** Aborted when the server shuts down; long-running work (streams, simulator) stops on it. */
  shutdown: AbortSignal;
  /**
   * Access changes (roles, memberships, revocations, deleted projects and tenants), made here or on
   * another replica: permission caches drop what changed and open streams re-check their caller.
   */
  accessChanges: AccessChanges;
  /** Token service: sessions, API tokens, verification, and the membership cache authorization reads. */
  tokens: Tokens;
  /** Short-lived OAuth login state (pending logins, codes, device codes), shared by all replicas. */
  loginState: LoginStateStore;
  /** Writes to the server's standard output; the super-admin's one-time password is printed here once. */
  stdout: (text: string) => void;
  /** Authorization rule of every served RPC, read from the proto annotations when the context is built. */
  permissions: PermissionTable;
  /** Checks that deleting a project runs first; each area that keeps project-scoped resources has one. */
  projectDeletionGuards: readonly ProjectDeletionGuard[];
  /** Pairs users' serial-console sessions with the agents connected to this process. */
  consoles: ConsoleHub;
  /** Wakes the machine watchers of this process when a machine changes. */
  machineEvents: MachineEventNotifier;
  /** Writes audit rows in batches and keeps them until stored; closed last on shutdown. */
  auditLog: AuditLogWriter;
  /** RPC counters and latency histograms, served at /metrics. */
  metrics: RpcMetrics;
  /** The login endpoints' identity provider and relying party, built on first use (the public URL is known by then). */
  identityRuntime: () => Promise<IdentityRuntime>;
}

/** membershipChanged tells every access listener that one user's roles or memberships changed. */
export function membershipChanged(ctx: AppContext, userId: string): void {
  ctx.accessChanges.emit({ kind: "membership", userId });
}
