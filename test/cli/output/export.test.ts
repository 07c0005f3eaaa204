import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/errors.js";
import { loadJq } from "../../../src/cli/output/jq.js";
import { type PrintOptions, render, type View } from "../../../src/cli/output/printer.js";

interface Row {
  id: string;
  partition: string;
  labels?: Record<string, string>;
}

const view: View<Row> = {
  columns: [{ header: "ID", value: (r) => r.id }],
  toJson: (r) => ({ ...r }),
  fields: ["id", "partition", "labels", "size"],
};
const rows: Row[] = [
  { id: "m2", partition: "fra", labels: { team: "a" } },
  { id: "m1", partition: "ams" },
];
const jq = await loadJq();
const now = new Date();
const list = (opts: Partial<PrintOptions>) =>
  render({ view, items: rows, list: true }, { format: "table", now, ...opts });

describe("--json and --jq in the printer", () => {
  it("prints the selected fields of every item as JSON, sorted like the table", () => {
    expect(JSON.parse(list({ jsonFields: "id,labels.team", sortBy: "id" }))).toEqual([
      { id: "m1", labels: { team: null } },
      { id: "m2", labels: { team: "a" } },
    ]);
  });

  it("prints one object for a single item", () => {
    const out = render(
      { view, items: [rows[0]!], list: false },
      { format: "table", now, jsonFields: "partition" },
    );
    expect(out).toBe('{\n  "partition": "fra"\n}\n');
  });

  it("lists the view's fields when none are given", () => {
    expect(() => list({ jsonFields: "" })).toThrow(
      expect.objectContaining({ hint: "available fields: id, labels, partition, size" }),
    );
  });

  it("filters the whole JSON, or the selected fields, through jq", () => {
    expect(list({ jq: { program: '.[] | select(.partition == "ams") | .id', run: jq } })).toBe("m1\n");
    expect(list({ jsonFields: "id", jq: { program: 'map(.id) | join(",")', run: jq } })).toBe("m2,m1\n");
  });

  it("shows control characters in jq's raw strings as escapes", () => {
    const evil: View<Row> = { ...view, toJson: () => ({ id: "x\u001b[31my" }) };
    const out = render(
      { view: evil, items: [rows[0]!], list: false },
      { format: "table", now, jq: { program: ".id", run: jq } },
    );
    expect(out).not.toContain("\u001b");
  });

  it("works for records shown as free text (whoami-like details)", () => {
    const out = render(
      { json: { user: "alice", tenants: ["a"] }, text: () => "alice" },
      { format: "table", now, jsonFields: "user" },
    );
    expect(JSON.parse(out)).toEqual({ user: "alice" });
    expect(() =>
      render({ json: { user: "a" }, text: () => "" }, { format: "table", now, jsonFields: "x" }),
    ).toThrow(CliError);
  });
});
