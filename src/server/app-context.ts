import type { Redis } from "ioredis";
import { createAuditLogWriter } from "./audit/audit-log-writer.js";
import { AccessChanges } from "./authz/access-changes.js";
import { buildPermissionTable } from "./authz/permission-table.js";
import type { ServerConfig } from "./config.js";
import { ConsoleHub } from "./console/console-hub.js";
import type { AppContext } from "./context.js";
import { RpcMetrics } from "./http/metrics.js";
import { ipamProjectGuard } from "./ipam/project-guard.js";
import { createLogger } from "./log.js";
import { MachineEventNotifier } from "./machines/event-notifier.js";
import { machineProjectGuard } from "./machines/project-guard.js";
import { createSqlLoginStateStore } from "./oauth/login-state.js";
import { lazyIdentityRuntime } from "./oauth/runtime.js";
import { createRedisLoginStateStore } from "./redis/login-state-store.js";
import { createRedisTokenStore } from "./redis/token-store.js";
import { servedServiceDescriptors } from "./services/index.js";
import type { Db } from "./store/db.js";
import { createTokens } from "./token/tokens.js";

/** OpenedResources are what the caller opened before building a context: the store and, optionally, Redis. */
export interface OpenedResources {
  config: ServerConfig;
  db: Db;
  redis?: Redis;
  /** Aborted when the server shuts down. */
  shutdown: AbortSignal;
}

/**
 * createAppContext builds every long-lived part of one server once, around the opened store.
 * `overrides` replace parts (a silent logger, a fake clock): tests use it instead of mocks. It throws
 * an AnnotationError when an RPC's authorization annotations break the contract, so the server
 * refuses to start.
 */
export function createAppContext(opened: OpenedResources, overrides: Partial<AppContext> = {}): AppContext {
  const { config, db, redis } = opened;
  const ctx: AppContext = {
    config,
    db,
    redis,
    log: createLogger(config.logLevel),
    now: () => new Date(),
    shutdown: opened.shutdown,
    accessChanges: new AccessChanges(),
    tokens: createTokens(() => ctx, {
      store: redis ? createRedisTokenStore(redis, config.redisKeyPrefix) : undefined,
    }),
    loginState: redis
      ? createRedisLoginStateStore(redis, () => ctx.now(), config.redisKeyPrefix)
      : createSqlLoginStateStore(db, () => ctx.now()),
    stdout: (text) => process.stdout.write(text),
    permissions: buildPermissionTable(servedServiceDescriptors),
    projectDeletionGuards: [machineProjectGuard, ipamProjectGuard],
    consoles: new ConsoleHub(),
    machineEvents: new MachineEventNotifier(),
    auditLog: createAuditLogWriter(db, () => ctx.log),
    metrics: new RpcMetrics(),
    identityRuntime: lazyIdentityRuntime(() => ctx),
    ...overrides,
  };
  return ctx;
}
