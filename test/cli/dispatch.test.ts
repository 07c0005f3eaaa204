import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { manifestFor, runsCommand } from "../../src/cli/main.js";
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

describe("manifestFor", () => {
  it("runs commands from the dispatch manifest", () => {
    expect(manifestFor(["machine", "list", "-o", "wide"], names)).toBe("dispatch");
    expect(manifestFor(["--version"], names)).toBe("dispatch");
  });

  it("shows the root and topic help from the topics manifest", () => {
    for (const argv of [
      [],
      ["--help"],
      ["-h"],
      ["help"],
      ["machine"],
      ["machine", "--help"],
      ["help", "machine"],
    ]) {
      expect(manifestFor(argv, names), argv.join(" ")).toBe("topics");
    }
    expect(manifestFor(["machine", "power", "-h"], names)).toBe("topics");
    expect(manifestFor(["machin", "list"], names)).toBe("topics");
  });

  it("shows a command's help, and anything with other flags, from the full manifest", () => {
    expect(manifestFor(["machine", "list", "--help"], names)).toBe("full");
    expect(manifestFor(["help", "machine", "list"], names)).toBe("full");
    expect(manifestFor(["help", "context", "list", "-h"], names)).toBe("full");
    expect(manifestFor(["--context", "a", "machine", "list"], names)).toBe("full");
    expect(manifestFor(["help", "--nested-commands"], names)).toBe("full");
  });

  it("has the topics manifest hold every command as the full one does, without flags and examples", () => {
    const read = (dir: string) =>
      JSON.parse(fs.readFileSync(path.join(ROOT, dir, "oclif.manifest.json"), "utf8")).commands;
    const full = read(".");
    const topics = read("dist/topics");
    expect(Object.keys(topics)).toEqual(Object.keys(full));
    for (const [id, c] of Object.entries<Record<string, unknown>>(full)) {
      const { flags: _f, examples: _e, completion: _c, args, relativePath, ...rest } = c;
      expect(topics[id]).toMatchObject(rest);
      expect(topics[id].relativePath).toEqual(["..", "..", ...(relativePath as string[])]);
      expect(Object.keys(topics[id].args)).toEqual(Object.keys(args as object));
      expect(topics[id].flags).toBeUndefined();
    }
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
