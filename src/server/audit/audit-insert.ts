import { CompiledQuery } from "kysely";
import type { Dialect } from "../store/db.js";
import type { AuditLogRow } from "../store/token-schema.js";

/** AUDIT_COLUMNS are the columns of an audit row, the order the batch insert binds them in. */
export const AUDIT_COLUMNS = [
  "id",
  "time",
  "user_id",
  "token_id",
  "method",
  "subject",
  "tenant",
  "project",
  "request_id",
  "code",
  "duration_ms",
  "client_address",
  "request",
] as const satisfies readonly (keyof AuditLogRow)[];

const INTO = `insert into audit_log (${AUDIT_COLUMNS.join(", ")})`;
// A retried batch, or the outcome of a call whose "pending" row is stored, repeats an id: only the
// outcome changes.
const ON_CONFLICT = "on conflict (id) do update set code = excluded.code, duration_ms = excluded.duration_ms";

// PostgreSQL takes a batch of any size as one array per column: one statement text, planned once.
const POSTGRES = `${INTO} select * from unnest(${AUDIT_COLUMNS.map(
  (c, i) => `$${i + 1}::${c === "duration_ms" ? "integer" : "text"}[]`,
).join(", ")}) ${ON_CONFLICT}`;

const sqliteTexts = new Map<number, string>();

/** sqliteText is the multi-row insert for `n` rows; SQLite has no arrays, so there is one text per batch size. */
function sqliteText(n: number): string {
  let text = sqliteTexts.get(n);
  if (text === undefined) {
    const row = `(${AUDIT_COLUMNS.map(() => "?").join(", ")})`;
    text = `${INTO} values ${Array.from({ length: n }, () => row).join(", ")} ${ON_CONFLICT}`;
    sqliteTexts.set(n, text);
  }
  return text;
}

/**
 * auditInsert is the statement that upserts a batch of audit rows (ids unique within the batch),
 * written as SQL once instead of built through the query builder for every batch.
 */
export function auditInsert(dialect: Dialect, rows: AuditLogRow[]): CompiledQuery {
  if (dialect === "postgres") {
    return CompiledQuery.raw(
      POSTGRES,
      AUDIT_COLUMNS.map((c) => rows.map((r) => r[c])),
    );
  }
  const params: unknown[] = [];
  for (const r of rows) for (const c of AUDIT_COLUMNS) params.push(r[c]);
  return CompiledQuery.raw(sqliteText(rows.length), params);
}
