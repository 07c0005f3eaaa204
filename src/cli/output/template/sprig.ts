import { intArg, stringArg, type TemplateFunction } from "./arguments.js";
import { formatValue } from "./fmt.js";
import { formatGoLayout, goDuration } from "./go-time.js";
import { isMap, sortedKeys, truth, typeName, type Value } from "./values.js";

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** toTime reads an RFC 3339 timestamp (protobuf's JSON form) or Unix seconds; an absent field gives undefined. */
function toTime(v: Value, n: number): Date | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return new Date(v * 1000);
  if (typeof v === "string" && RFC3339.test(v)) return new Date(v);
  throw new Error(
    `argument ${n} is not a time: want an RFC 3339 timestamp like 2024-05-01T10:00:00Z or Unix seconds, got ${typeName(v)} ${formatValue(v)}`,
  );
}

/** strval is sprig's string form of a list element: strings as they are, everything else as %v. */
function strval(v: Value): string {
  return typeof v === "string" ? v : formatValue(v);
}

function list(v: Value): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.filter((e) => e !== undefined && e !== null).map(strval);
  return [strval(v)];
}

/** toJson is Go's json.Marshal of decoded JSON: map keys sorted, no spaces. */
function toJson(v: Value): string {
  if (v === undefined || v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(toJson).join(",")}]`;
  if (isMap(v))
    return `{${sortedKeys(v)
      .map((k) => `${JSON.stringify(k)}:${toJson(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** sprig holds the functions of the sprig library that metal-stack templates use, with sprig's argument order. */
export const sprig: Record<string, TemplateFunction> = {
  join: { min: 2, max: 2, call: ([sep, v]) => list(v).join(stringArg(sep, 1)) },
  upper: { min: 1, max: 1, call: ([s]) => stringArg(s, 1).toUpperCase() },
  lower: { min: 1, max: 1, call: ([s]) => stringArg(s, 1).toLowerCase() },
  default: { min: 1, max: 2, call: ([fallback, ...given]) => (truth(given[0]) ? given[0] : fallback) },
  trunc: {
    min: 2,
    max: 2,
    call: ([n, s]) => {
      const count = intArg(n, 1);
      const chars = [...stringArg(s, 2)];
      return (count < 0 ? chars.slice(Math.max(0, chars.length + count)) : chars.slice(0, count)).join("");
    },
  },
  contains: { min: 2, max: 2, call: ([sub, s]) => stringArg(s, 2).includes(stringArg(sub, 1)) },
  hasPrefix: { min: 2, max: 2, call: ([prefix, s]) => stringArg(s, 2).startsWith(stringArg(prefix, 1)) },
  split: {
    min: 2,
    max: 2,
    call: ([sep, s]) => {
      const separator = stringArg(sep, 1);
      const text = stringArg(s, 2);
      const parts = separator === "" ? [...text] : text.split(separator);
      return Object.fromEntries(parts.map((p, i) => [`_${i}`, p]));
    },
  },
  toJson: { min: 1, max: 1, call: ([v]) => toJson(v) },
  date: {
    min: 2,
    max: 2,
    call: ([layout, t]) => {
      const time = toTime(t, 2);
      return time ? formatGoLayout(time, stringArg(layout, 1)) : "";
    },
  },
  ago: {
    min: 1,
    max: 1,
    call: ([t], env) => {
      const time = toTime(t, 1);
      return time ? goDuration(env.now.getTime() - time.getTime()) : "";
    },
  },
};
