import { type Expression, type SqlBool, sql } from "kysely";
import type { Dialect } from "./db.js";

/** jsonKeyEquals matches rows whose JSON-object column (e.g. labels) holds `value` under `key`. */
export function jsonKeyEquals(
  dialect: Dialect,
  column: string,
  key: string,
  value: string,
): Expression<SqlBool> {
  if (dialect === "postgres") return sql<SqlBool>`(${sql.ref(column)}::jsonb ->> ${key}) = ${value}`;
  const path = `$."${key.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  return sql<SqlBool>`json_extract(${sql.ref(column)}, ${path}) = ${value}`;
}

/**
 * jsonArrayHas matches rows whose JSON column holds, under `array` (a top-level key), an object whose
 * `field` equals `value`; with `lowerCase` the stored field is compared in lower case.
 */
export function jsonArrayHas(
  dialect: Dialect,
  column: string,
  array: string,
  field: string,
  value: string,
  lowerCase = false,
): Expression<SqlBool> {
  if (dialect === "postgres") {
    const element = lowerCase ? sql`lower(e ->> ${field})` : sql`(e ->> ${field})`;
    return sql<SqlBool>`exists (select 1 from jsonb_array_elements(coalesce(${sql.ref(column)}::jsonb -> ${array}, '[]'::jsonb)) as e where ${element} = ${value})`;
  }
  const element = lowerCase
    ? sql`lower(json_extract(e.value, ${`$.${field}`}))`
    : sql`json_extract(e.value, ${`$.${field}`})`;
  return sql<SqlBool>`exists (select 1 from json_each(${sql.ref(column)}, ${`$.${array}`}) as e where ${element} = ${value})`;
}
