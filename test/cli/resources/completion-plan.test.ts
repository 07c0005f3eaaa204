import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheFile, readCache, writeCache } from "../../../src/cli/completion/cache.js";
import { type Manifest, plan } from "../../../src/cli/completion/complete.js";

const global = {
  output: {
    name: "output",
    char: "o",
    type: "option" as const,
    options: ["table", "json"],
    helpGroup: "GLOBAL",
  },
};
const manifest: Manifest = {
  commands: {
    "machine:list": {
      id: "machine:list",
      summary: "List machines.",
      aliases: ["machine:ls"],
      flags: {
        ...global,
        state: { name: "state", type: "option", options: ["available", "locked"] },
        project: { name: "project", char: "p", type: "option" },
      },
      args: {},
    },
    "machine:describe": {
      id: "machine:describe",
      summary: "Show one machine.",
      flags: { ...global, project: { name: "project", char: "p", type: "option" } },
      args: { id: { name: "id" } },
    },
    "machine:create": {
      id: "machine:create",
      flags: { ...global, size: { name: "size", type: "option" }, wait: { name: "wait", type: "boolean" } },
      args: {},
    },
    "admin:user:list": { id: "admin:user:list", flags: global, args: {} },
  },
};

describe("completion planning from the manifest", () => {
  it("offers topics and verbs", () => {
    const top = plan(manifest, [""]).need;
    expect(top.type === "fixed" && top.candidates.map((c) => c.value)).toEqual(["admin", "machine"]);
    const verbs = plan(manifest, ["machine", ""]).need;
    expect(verbs.type === "fixed" && verbs.candidates.map((c) => c.value)).toEqual([
      "create",
      "describe",
      "list",
    ]);
    const nested = plan(manifest, ["admin", "user", ""]).need;
    expect(nested.type === "fixed" && nested.candidates.map((c) => c.value)).toEqual(["list"]);
  });

  it("offers fixed flag values, also for aliases and inline --flag=", () => {
    const v = plan(manifest, ["machine", "ls", "--state", ""]).need;
    expect(v.type === "fixed" && v.candidates.map((c) => c.value)).toEqual(["available", "locked"]);
    const inline = plan(manifest, ["machine", "list", "--state=av"]).need;
    expect(inline.type === "fixed" && inline.candidates.map((c) => c.value)).toContain("--state=available");
  });

  it("asks for dynamic values of flags and arguments and records the project flag", () => {
    expect(plan(manifest, ["machine", "create", "--size", "c1"]).need).toEqual({
      type: "dynamic",
      kind: "size",
      prefix: "c1",
    });
    const r = plan(manifest, ["machine", "describe", "-p", "p9", ""]);
    expect(r.need).toEqual({ type: "dynamic", kind: "machine", prefix: "" });
    expect(r.parsed.flags.project).toBe("p9");
    // A boolean flag takes no value, so the next word is the argument.
    expect(plan(manifest, ["machine", "create", "--wait", ""]).need).toEqual({
      type: "fixed",
      candidates: [],
    });
  });
});

describe("completion cache", () => {
  it("keeps values per API server and project, and needs a project for project kinds", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-cache-"));
    const env = { XDG_CACHE_HOME: home };
    try {
      expect(cacheFile(env, { apiUrl: "http://a" }, "machine")).toBeNull();
      writeCache(env, { apiUrl: "http://a", project: "p1" }, "machine", [{ value: "m1" }], 5);
      expect(readCache(env, { apiUrl: "http://a", project: "p1" }, "machine")).toEqual({
        at: 5,
        candidates: [{ value: "m1" }],
      });
      expect(readCache(env, { apiUrl: "http://a", project: "p2" }, "machine")).toBeUndefined();
      expect(readCache(env, { apiUrl: "http://b", project: "p1" }, "machine")).toBeUndefined();
      const file = cacheFile(env, { apiUrl: "http://a", project: "../../etc" }, "machine")!;
      expect(file.startsWith(path.join(home, "metalctl"))).toBe(true);
      expect(path.relative(path.join(home, "metalctl"), file).split(path.sep)).toHaveLength(3);
      expect(
        fs.statSync(cacheFile(env, { apiUrl: "http://a", project: "p1" }, "machine")!).mode & 0o777,
      ).toBe(0o600);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
