import { describe, expect, it } from "vitest";
import { render, type View } from "../../../src/cli/output/printer.js";
import { parseTemplate } from "../../../src/cli/output/template.js";

interface Row {
  id: string;
  partition: string;
  size: string;
  created: number;
}

const view: View<Row> = {
  columns: [
    { header: "ID", value: (r) => r.id },
    { header: "Partition", value: (r) => r.partition },
    { header: "Size", value: (r) => r.size },
    { header: "Age", value: () => "-", sortKey: (r) => r.created },
  ],
  toJson: (r) => ({ ...r }),
};

const rows: Row[] = [
  { id: "m1", partition: "fra", size: "c1-large", created: 3 },
  { id: "m2", partition: "ams", size: "c1-small", created: 1 },
  { id: "m3", partition: "fra", size: "c1-small", created: 2 },
  { id: "m10", partition: "ams", size: "c1-large", created: 4 },
];

const ids = (sortBy: string) =>
  render(
    { view, items: rows, list: true },
    { format: "template", template: parseTemplate("{{ .id }}"), sortBy, now: new Date() },
  )
    .trim()
    .split("\n")
    .join(" ");

describe("--sort-by", () => {
  it("sorts by several keys, later keys breaking ties", () => {
    expect(ids("partition,size")).toBe("m10 m2 m1 m3");
  });

  it("takes a direction per key", () => {
    expect(ids("partition,size:desc")).toBe("m2 m10 m3 m1");
    expect(ids("partition:desc,size:asc")).toBe("m1 m3 m10 m2");
    expect(ids("age:desc")).toBe("m10 m1 m3 m2");
  });

  it("orders numbers inside names naturally and keys case-insensitively", () => {
    expect(ids("ID")).toBe("m1 m2 m3 m10");
    expect(ids("id:DESC")).toBe("m10 m3 m2 m1");
  });

  it("names the allowed columns and directions when a key is wrong", () => {
    expect(() => ids("colour")).toThrow('--sort-by "colour" is not a column');
    expect(() => ids("size:up")).toThrow('--sort-by "size:up": the direction must be asc or desc');
    expect(() => ids("size:asc:desc")).toThrow("the direction must be asc or desc");
  });
});
