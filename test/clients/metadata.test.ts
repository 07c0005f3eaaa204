import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("committed client package metadata", () => {
  it("carries the version of package.json (npm run generate writes it)", () => {
    const { version } = JSON.parse(read("package.json")) as { version: string };
    expect(read("clients/python/src/metalctl_client/_version.py")).toContain(`__version__ = "${version}"`);
    expect(read("clients/go/version.go")).toContain(`const Version = "${version}"`);
  });
});
