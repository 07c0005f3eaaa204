import type { TemplateFunction } from "./arguments.js";
import { sprint, sprintf, sprintln } from "./fmt.js";
import { isMap, truth, typeName, type Value } from "./values.js";

type Kind = "nil" | "bool" | "number" | "string" | "collection";

function kind(v: Value): Kind {
  if (v === undefined || v === null) return "nil";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "number";
  if (typeof v === "string") return "string";
  return "collection";
}

const ZERO: Record<Kind, Value> = { nil: null, bool: false, number: 0, string: "", collection: null };

/** zeroFill gives an absent operand the zero value of the other operand's type, as if the field held it. */
function zeroFill(a: Value, b: Value): [Value, Value] {
  if (a === undefined && b !== undefined) return [ZERO[kind(b)], b];
  if (b === undefined && a !== undefined) return [a, ZERO[kind(a)]];
  return [a, b];
}

function equal(x: Value, y: Value): boolean {
  const [a, b] = zeroFill(x, y);
  const ka = kind(a);
  const kb = kind(b);
  if (ka === "nil" || kb === "nil") return ka === kb;
  if (ka === "collection" || kb === "collection") {
    throw new Error(`non-comparable type ${typeName(ka === "collection" ? a : b)}`);
  }
  if (ka !== kb) throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  return a === b;
}

function compare(x: Value, y: Value): number {
  const [a, b] = x === undefined && y === undefined ? ["", ""] : zeroFill(x, y);
  for (const v of [a, b]) {
    if (typeof v !== "number" && typeof v !== "string") {
      throw new Error(`invalid type for comparison: ${typeName(v)}`);
    }
  }
  if (typeof a !== typeof b)
    throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

function index(item: Value, indices: Value[]): Value {
  let cur = item;
  for (const idx of indices) {
    if (cur === undefined || cur === null) return undefined;
    if (isMap(cur)) {
      if (typeof idx !== "string")
        throw new Error(`cannot index a map with ${typeName(idx)}; keys are strings`);
      cur = Object.hasOwn(cur, idx) ? cur[idx] : undefined;
      continue;
    }
    if (Array.isArray(cur) || typeof cur === "string") {
      if (typeof idx !== "number" || !Number.isInteger(idx)) {
        throw new Error(`cannot index ${typeName(cur)} with ${typeName(idx)}; use an integer`);
      }
      const seq = Array.isArray(cur) ? cur : [...Buffer.from(cur, "utf8")];
      if (idx < 0 || idx >= seq.length) throw new Error(`index out of range: ${idx}`);
      cur = seq[idx];
      continue;
    }
    throw new Error(`can't index item of type ${typeName(cur)}`);
  }
  return cur;
}

function length(v: Value): number {
  if (v === undefined) return 0;
  if (typeof v === "string") return Buffer.byteLength(v, "utf8");
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  throw new Error(`len of type ${typeName(v)}`);
}

const variadic = Number.POSITIVE_INFINITY;

/** builtins are Go text/template's own functions that metal-stack templates use. */
export const builtins: Record<string, TemplateFunction> = {
  and: {
    min: 1,
    max: variadic,
    lazy: (args) => {
      let v: Value;
      for (const arg of args) {
        v = arg();
        if (!truth(v)) return v;
      }
      return v;
    },
  },
  or: {
    min: 1,
    max: variadic,
    lazy: (args) => {
      let v: Value;
      for (const arg of args) {
        v = arg();
        if (truth(v)) return v;
      }
      return v;
    },
  },
  not: { min: 1, max: 1, call: ([v]) => !truth(v) },
  eq: { min: 2, max: variadic, call: ([a, ...rest]) => rest.some((b) => equal(a, b)) },
  ne: { min: 2, max: 2, call: ([a, b]) => !equal(a, b) },
  lt: { min: 2, max: 2, call: ([a, b]) => compare(a, b) < 0 },
  le: { min: 2, max: 2, call: ([a, b]) => compare(a, b) <= 0 },
  gt: { min: 2, max: 2, call: ([a, b]) => compare(a, b) > 0 },
  ge: { min: 2, max: 2, call: ([a, b]) => compare(a, b) >= 0 },
  index: { min: 1, max: variadic, call: ([item, ...indices]) => index(item, indices) },
  len: { min: 1, max: 1, call: ([v]) => length(v) },
  print: { min: 0, max: variadic, call: (args) => sprint(args) },
  println: { min: 0, max: variadic, call: (args) => sprintln(args) },
  printf: {
    min: 1,
    max: variadic,
    call: ([format, ...args]) => {
      if (typeof format !== "string") throw new Error(`the format must be a string, got ${typeName(format)}`);
      return sprintf(format, args);
    },
  },
};
