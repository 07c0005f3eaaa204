import {
  type DatabaseConnection,
  type Dialect,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

/**
 * QueuedSqliteDriver hands SQLite's single connection to one query or transaction at a time, in the
 * order they asked. Kysely's own driver wakes every waiter on each release and all but one go back
 * to waiting: under many concurrent calls each query paid for every other one queued behind it.
 */
class QueuedSqliteDriver implements Driver {
  readonly #inner: SqliteDriver;
  #connection: DatabaseConnection | undefined;
  #held = false;
  readonly #waiting: (() => void)[] = [];

  constructor(config: SqliteDialectConfig) {
    this.#inner = new SqliteDriver(config);
  }

  async init(): Promise<void> {
    await this.#inner.init();
    // The inner driver's own lock is taken once, for good: this driver does the queueing.
    this.#connection = await this.#inner.acquireConnection();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#held = true;
    return this.#connection as DatabaseConnection;
  }

  async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift();
    // The connection passes straight to the next in line; `held` stays set for it.
    if (next) next();
    else this.#held = false;
  }

  beginTransaction: Driver["beginTransaction"] = (c) => this.#inner.beginTransaction(c);
  commitTransaction: Driver["commitTransaction"] = (c) => this.#inner.commitTransaction(c);
  rollbackTransaction: Driver["rollbackTransaction"] = (c) => this.#inner.rollbackTransaction(c);
  savepoint: NonNullable<Driver["savepoint"]> = (c, n, q) => this.#inner.savepoint(c, n, q);
  rollbackToSavepoint: NonNullable<Driver["rollbackToSavepoint"]> = (c, n, q) =>
    this.#inner.rollbackToSavepoint(c, n, q);
  releaseSavepoint: NonNullable<Driver["releaseSavepoint"]> = (c, n, q) =>
    this.#inner.releaseSavepoint(c, n, q);

  async destroy(): Promise<void> {
    await this.#inner.releaseConnection();
    await this.#inner.destroy();
  }
}

/** queuedSqliteDialect is Kysely's SQLite dialect with a driver that queues for the connection in order. */
export function queuedSqliteDialect(config: SqliteDialectConfig): Dialect {
  const dialect = new SqliteDialect(config);
  return {
    createDriver: () => new QueuedSqliteDriver(config),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
