import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commandGroup, manifestFor } from "../../src/cli/main.js";
import { ROOT } from "../helpers/cli.js";

const names = new Map([
  ["machine:list", "machine"],
  ["machine:ls", "machine"],
  ["machine:power:on", "machine"],
  ["context:list", "context"],
  ["version", "version"],
  ["whoami", "auth"],
]);

describe("commandGroup", () => {
  it("finds the group of a command named by its leading words, with arguments and flags after them", () => {
    expect(commandGroup(["machine", "list"], names)).toBe("machine");
    expect(commandGroup(["machine", "ls", "--size", "s1"], names)).toBe("machine");
    expect(commandGroup(["machine", "power", "on", "m1"], names)).toBe("machine");
    expect(commandGroup(["whoami"], names)).toBe("auth");
    expect(commandGroup(["--version"], names)).toBe("version");
    expect(commandGroup(["machine", "list", "--", "-h"], names)).toBe("machine");
  });

  it("finds none for help, topics and unknown commands", () => {
    for (const argv of [
      [],
      ["--help"],
      ["machine", "list", "-h"],
      ["machine", "list", "--help"],
      ["machine"],
      ["machine", "power"],
      ["machin", "list"],
      ["--context", "a", "machine", "list"],
    ]) {
      expect(commandGroup(argv, names), argv.join(" ")).toBeUndefined();
    }
  });
});

describe("manifestFor", () => {
  it("runs commands from their group's dispatch manifest", () => {
    expect(manifestFor(["machine", "list", "-o", "wide"], names)).toBe("dispatch/machine");
    expect(manifestFor(["--version"], names)).toBe("dispatch/version");
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

describe("dispatch groups", () => {
  it("hold every command but help once, in the group its names map to, with paths that reach the module", () => {
    const full = JSON.parse(fs.readFileSync(path.join(ROOT, "oclif.manifest.json"), "utf8")).commands;
    const names: Record<string, string> = JSON.parse(
      fs.readFileSync(path.join(ROOT, "dist/dispatch/command-names.json"), "utf8"),
    );
    const seen = new Set<string>();
    for (const group of new Set(Object.values(names))) {
      const dir = path.join(ROOT, "dist/dispatch", group);
      const commands = JSON.parse(fs.readFileSync(path.join(dir, "oclif.manifest.json"), "utf8")).commands;
      for (const [id, c] of Object.entries<{ relativePath: string[]; aliases: string[] }>(commands)) {
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
        for (const name of [id, ...c.aliases]) expect(names[name.replaceAll(" ", ":")], name).toBe(group);
        expect(fs.existsSync(path.join(dir, ...c.relativePath)), id).toBe(true);
      }
    }
    expect([...seen].sort()).toEqual(
      Object.keys(full)
        .filter((id) => id !== "help")
        .sort(),
    );
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
