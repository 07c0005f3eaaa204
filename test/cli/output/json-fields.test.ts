import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/errors.js";
import { fieldsOf, parseJsonFields, selectFields } from "../../../src/cli/output/json-fields.js";
import type { JsonValue } from "../../../src/cli/output/printer.js";

const machines: JsonValue[] = [
  { uuid: "m1", partition: "fra", allocation: { name: "web", hostname: "web.example" }, size: "s1" },
  { uuid: "m2", partition: "ams" },
];

describe("--json fields", () => {
  it("keeps the named fields of each item, nesting dotted paths, null where an item has none", () => {
    expect(selectFields(machines, ["uuid", "allocation.name", "size"])).toEqual([
      { uuid: "m1", allocation: { name: "web" }, size: "s1" },
      { uuid: "m2", allocation: { name: null }, size: null },
    ]);
    expect(selectFields(machines[0]!, ["allocation.name", "allocation.hostname"])).toEqual({
      allocation: { name: "web", hostname: "web.example" },
    });
  });

  it("reads a comma-separated list, ignoring blanks and repeats", () => {
    expect(parseJsonFields(" uuid, allocation.name,,uuid ", ["uuid", "allocation"])).toEqual([
      "uuid",
      "allocation.name",
    ]);
  });

  it.each([
    ["", "--json needs the fields to print, e.g. --json id,name"],
    [" , ", "--json needs the fields to print, e.g. --json id,name"],
    ["uuid,colour,shape.x", '--json: unknown field "colour", "shape.x"'],
  ])("refuses %j and lists the available fields", (spec, message) => {
    let err: unknown;
    try {
      parseJsonFields(spec, ["uuid", "partition", "allocation"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toBe(message);
    expect((err as CliError).hint).toBe("available fields: allocation, partition, uuid");
  });

  it("finds the fields items hold when a view declares none", () => {
    expect(fieldsOf(machines).sort()).toEqual(["allocation", "partition", "size", "uuid"]);
  });
});
