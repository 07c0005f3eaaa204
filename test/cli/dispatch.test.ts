import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runsCommand } from "../../src/cli/main.js";
import { ROOT } from "../helpers/cli.js";

const names = new Set(["machine:list", "machine:ls", "machine:power:on", "context:list", "version"]);

describe("runsCommand", () => {
  it("runs a command named by its leading words, with arguments and flags after them", () => {
    expect(runsCommand(["machine", "list"], names)).toBe(true);
    expect(runsCommand(["machine", "ls", "--size", "s1"], names)).toBe(true);
    expect(runsCommand(["machine", "power", "on", "m1"], names)).toBe(true);
    expect(runsCommand(["--version"], names)).toBe(true);
    expect(runsCommand(["machine", "list", "--", "-h"], names)).toBe(true);
  });

  it("leaves help, topics and unknown commands to the full manifest", () => {
    expect(runsCommand([], names)).toBe(false);
    expect(runsCommand(["--help"], names)).toBe(false);
    expect(runsCommand(["machine", "list", "-h"], names)).toBe(false);
    expect(runsCommand(["machine", "list", "--help"], names)).toBe(false);
    expect(runsCommand(["machine"], names)).toBe(false);
    expect(runsCommand(["machine", "power"], names)).toBe(false);
    expect(runsCommand(["machin", "list"], names)).toBe(false);
    expect(runsCommand(["--context", "a", "machine", "list"], names)).toBe(false);
  });
});

describe("command order", () => {
  it("is the same by code units as by localeCompare, which the bundle's oclif no longer calls", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "oclif.manifest.json"), "utf8"));
    const ids = Object.keys(manifest.commands);
    const byLocale = [...ids].sort((a, b) => a.localeCompare(b));
    const byCodeUnits = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(byCodeUnits).toEqual(byLocale);
  });
});
