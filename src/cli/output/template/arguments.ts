import { typeName, type Value } from "./values.js";

/** FunctionEnv is what template functions may know besides their arguments. */
export interface FunctionEnv {
  /** The time `ago` measures from. */
  now: Date;
}

/** TemplateFunction is one function templates can call; `lazy` ones get their arguments unevaluated (and, or). */
export type TemplateFunction = { min: number; max: number } & (
  | { call(args: Value[], env: FunctionEnv): Value; lazy?: undefined }
  | { lazy(args: (() => Value)[]): Value; call?: undefined }
);

/** stringArg reads a string argument; an absent field counts as "" (protobuf's JSON leaves out empty strings). */
export function stringArg(v: Value, n: number): string {
  if (v === undefined) return "";
  if (typeof v !== "string") throw new Error(`argument ${n} must be a string, got ${typeName(v)}`);
  return v;
}

/** intArg reads an integer argument; an absent field counts as 0. */
export function intArg(v: Value, n: number): number {
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new Error(`argument ${n} must be an integer, got ${typeName(v)}`);
  }
  return v;
}
