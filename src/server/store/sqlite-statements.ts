import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * KEEP_ROWS starts the text of a read whose rows may be handed out again for the same parameters while
 * nothing was written to the database since. PostgreSQL reads it as a comment; on SQLite the rows of
 * such a statement are kept in memory (see sqliteStatements). Only for reads whose answer depends on
 * the stored rows alone: nothing like the current time or a random number.
 */
export const KEEP_ROWS = "/* keep rows */ ";

/** Most distinct SQL texts whose prepared statements are kept; past it the cache starts afresh. */
const STATEMENT_CACHE_SIZE = 1_000;

/** Most kept answers of KEEP_ROWS statements; past it they start afresh. */
const KEPT_ANSWERS = 10_000;

/**
 * sqliteStatements is the database Kysely's SQLite driver runs on:
 * - `prepare` returns the statement prepared before for the same SQL text: Kysely prepares on every
 *   query, and compiling the SQL again is a good part of a short query's cost. Reuse is safe because
 *   Kysely runs one query at a time on its single SQLite connection and reads each statement to the
 *   end; SQLite re-prepares a statement itself after a schema change.
 * - A KEEP_ROWS statement answers from memory while the database is unchanged, e.g. the token and
 *   project every authorized call reads. Kept answers are dropped whenever this connection runs a
 *   statement that may write (or one fails), and whenever `PRAGMA data_version` shows that another
 *   connection (another process on the same file) committed. Nothing is kept or served inside a
 *   transaction, so rows it wrote and then rolled back are never seen. A kept answer is frozen: no
 *   caller can change what the next one gets.
 */
export function sqliteStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  const kept = new Map<string, Map<string, unknown[]>>();
  let keptCount = 0;
  const dataVersion = sqlite.prepare("PRAGMA data_version").pluck();
  let seenDataVersion = dataVersion.get();
  const forget = () => {
    if (keptCount === 0) return;
    kept.clear();
    keptCount = 0;
  };
  // True when answers may be kept and served now: outside a transaction, and with no commit by
  // another connection since the kept ones were read (else they are dropped first).
  const keeping = (): boolean => {
    if (sqlite.inTransaction) return false;
    const version = dataVersion.get();
    if (version !== seenDataVersion) {
      seenDataVersion = version;
      forget();
    }
    return true;
  };

  const keepingRows = (text: string, statement: SQLite.Statement): SqliteStatement => ({
    reader: true,
    all(parameters) {
      if (!keeping()) return statement.all(parameters);
      const key = answerKey(parameters);
      if (key === undefined) return statement.all(parameters);
      const hit = kept.get(text)?.get(key);
      if (hit) return hit;
      const rows = statement.all(parameters);
      for (const row of rows) Object.freeze(row);
      Object.freeze(rows);
      if (keptCount >= KEPT_ANSWERS) forget();
      let answers = kept.get(text);
      if (!answers) {
        answers = new Map();
        kept.set(text, answers);
      }
      answers.set(key, rows);
      keptCount++;
      return rows;
    },
    run: (parameters) => statement.run(parameters),
    iterate: (parameters) => statement.iterate(parameters),
  });

  // Transaction control, schema changes and every statement that may write: kept answers go first,
  // and again once it ran (or failed part-way), so no answer read meanwhile outlives the change.
  const forgettingAround = <T>(run: () => T): T => {
    forget();
    try {
      return run();
    } finally {
      forget();
    }
  };
  const forgetting = (statement: SQLite.Statement): SqliteStatement => ({
    reader: statement.reader,
    all: (parameters) => forgettingAround(() => statement.all(parameters)),
    run: (parameters) => forgettingAround(() => statement.run(parameters)),
    iterate(parameters) {
      forget();
      return statement.iterate(parameters);
    },
  });

  return {
    close: () => {
      statements.clear();
      forget();
      sqlite.close();
    },
    prepare(text) {
      let statement = statements.get(text);
      if (!statement) {
        const prepared = sqlite.prepare(text);
        statement =
          !prepared.reader || !prepared.readonly
            ? forgetting(prepared)
            : text.startsWith(KEEP_ROWS)
              ? keepingRows(text, prepared)
              : prepared;
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * answerKey names a statement's parameters, a string and a number that print alike apart; undefined
 * for parameters other than strings, numbers and nulls, whose answers are not kept.
 */
function answerKey(parameters: ReadonlyArray<unknown>): string | undefined {
  const [only] = parameters;
  if (parameters.length === 1 && typeof only === "string") return `s${only}`;
  const plain = parameters.every((p) => p === null || typeof p === "string" || typeof p === "number");
  return plain ? `j${JSON.stringify(parameters)}` : undefined;
}
