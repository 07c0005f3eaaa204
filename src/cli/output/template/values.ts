/**
 * Value is what templates compute with: JSON values plus `undefined` for a field the data does
 * not have (Go's "no value"; protobuf's JSON mapping leaves out fields that hold their zero value).
 */
export type Value = undefined | null | boolean | number | string | Value[] | { [key: string]: Value };

/** ValueMap is a JSON object as a template value. */
export type ValueMap = { [key: string]: Value };

/** isMap tells JSON objects from the other values. */
export function isMap(v: Value): v is ValueMap {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** truth is Go's notion of "true" for if/with/and/or/not: false, 0, nil and empty strings, lists and maps are false. */
export function truth(v: Value): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return v !== false && v !== 0 && v !== "";
}

/** typeName is the Go type a value has after decoding JSON, as fmt and error messages name it. */
export function typeName(v: Value): string {
  if (v === undefined || v === null) return "<nil>";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  return Array.isArray(v) ? "[]interface {}" : "map[string]interface {}";
}

/** sortedKeys lists a map's keys in the order Go prints and ranges over them. */
export function sortedKeys(m: ValueMap): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
