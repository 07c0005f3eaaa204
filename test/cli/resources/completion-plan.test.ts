import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheFile, readCache, writeCache } from "../../../src/cli/completion/cache.js";
import { type Manifest, plan } from "../../../src/cli/completion/complete.js";
import { runCompletion } from "../../../src/cli/completion/main.js";
import { configDir, createConfigStore } from "../../../src/cli/config/store.js";

const MANIFEST = path.join(import.meta.dirname, "../../../oclif.manifest.json");
const global = {
  output: {
    name: "output",
    char: "o",
    type: "option" as const,
    options: ["table", "json"],
    helpGroup: "GLOBAL",
  },
};
const machineIds = { kind: "machine", scope: "project" } as const;
const sizes = { kind: "size", scope: "server" } as const;
const projects = { kind: "project", scope: "server" } as const;
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
      completion: { flags: { project: projects }, args: {} },
    },
    "machine:describe": {
      id: "machine:describe",
      summary: "Show one machine.",
      flags: { ...global, project: { name: "project", char: "p", type: "option" } },
      args: { id: { name: "id" } },
      completion: { flags: { project: projects }, args: { id: machineIds } },
    },
    "machine:create": {
      id: "machine:create",
      flags: { ...global, size: { name: "size", type: "option" }, wait: { name: "wait", type: "boolean" } },
      args: {},
      completion: { flags: { size: sizes }, args: {} },
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

  it("asks for the values the manifest declares for flags and arguments and records the project flag", () => {
    expect(plan(manifest, ["machine", "create", "--size", "c1"]).need).toEqual({
      type: "dynamic",
      source: sizes,
      prefix: "c1",
    });
    const r = plan(manifest, ["machine", "describe", "-p", "p9", ""]);
    expect(r.need).toEqual({ type: "dynamic", source: machineIds, prefix: "" });
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
      expect(cacheFile(env, { apiUrl: "http://a" }, machineIds)).toBeNull();
      writeCache(env, { apiUrl: "http://a", project: "p1" }, machineIds, [{ value: "m1" }], 5);
      expect(readCache(env, { apiUrl: "http://a", project: "p1" }, machineIds)).toEqual({
        at: 5,
        candidates: [{ value: "m1" }],
      });
      expect(readCache(env, { apiUrl: "http://a", project: "p2" }, machineIds)).toBeUndefined();
      expect(readCache(env, { apiUrl: "http://b", project: "p1" }, machineIds)).toBeUndefined();
      const file = cacheFile(env, { apiUrl: "http://a", project: "../../etc" }, machineIds)!;
      expect(file.startsWith(path.join(home, "metalctl"))).toBe(true);
      expect(path.relative(path.join(home, "metalctl"), file).split(path.sep)).toHaveLength(3);
      expect(
        fs.statSync(cacheFile(env, { apiUrl: "http://a", project: "p1" }, machineIds)!).mode & 0o777,
      ).toBe(0o600);
      // The server's directory is the 64-bit FNV-1a hash of its URL (published test vectors).
      const serverDir = (apiUrl: string) =>
        path.relative(
          path.join(home, "metalctl"),
          cacheFile(env, { apiUrl }, { kind: "size", scope: "server" })!,
        );
      expect(serverDir("a")).toBe(path.join("af63dc4c8601ec8c", "size.json"));
      expect(serverDir("foobar")).toBe(path.join("85944171f73967e8", "size.json"));
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("runCompletion with a context from the config file", () => {
  it("offers context names and the current context's cached machine IDs", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-ctx-"));
    const env = {
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, "config"),
      XDG_CACHE_HOME: path.join(home, "cache"),
    };
    try {
      createConfigStore(configDir(env)).save({
        current: "prod",
        contexts: [
          { name: "prod", apiUrl: "https://api.example.com/", defaultProject: "p1" },
          { name: "dev", apiUrl: "http://127.0.0.1:8080" },
        ],
      });
      writeCache(env, { apiUrl: "https://api.example.com", project: "p1" }, machineIds, [
        { value: "m-1", description: "web" },
      ]);
      const run = async (words: string[]) => {
        let out = "";
        await runCompletion(words, MANIFEST, env, (t) => {
          out += t;
        });
        return out;
      };
      expect(await run(["context", "use", ""])).toBe(
        "prod\thttps://api.example.com/\ndev\thttp://127.0.0.1:8080\n",
      );
      expect(await run(["machine", "describe", ""])).toBe("m-1\tweb\n");
      // Another project has no cached values and the API is unreachable: no candidates, no error.
      expect(await run(["machine", "describe", "--project", "p2", ""])).toBe("");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
