import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CliConfig,
  configDir,
  createConfigStore,
  normalizeApiUrl,
  removeContext,
  switchContext,
  upsertContext,
  validateContextName,
} from "../../../src/cli/config/store.js";
import { requireProject, resolveTarget } from "../../../src/cli/config/target.js";
import { CliError } from "../../../src/cli/errors.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-cfg-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const two: CliConfig = {
  current: "a",
  contexts: [
    { name: "a", apiUrl: "http://a.example", defaultProject: "p-a" },
    { name: "b", apiUrl: "http://b.example" },
  ],
};

function code(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CliError ? e.exitCode : -1;
  }
  return undefined;
}

describe("config store", () => {
  it("uses $XDG_CONFIG_HOME/metalctl, else ~/.config/metalctl", () => {
    expect(configDir({ XDG_CONFIG_HOME: "/x" })).toBe("/x/metalctl");
    expect(configDir({ HOME: "/home/u" })).toBe("/home/u/.config/metalctl");
  });

  it("round-trips contexts and starts empty without a file", () => {
    const store = createConfigStore(path.join(dir, "metalctl"));
    expect(store.load()).toEqual({ contexts: [] });
    store.save(two);
    expect(store.load()).toEqual(two);
    expect(fs.statSync(path.join(dir, "metalctl")).mode & 0o777).toBe(0o700);
  });

  it("reports a broken file with its path and the next step", () => {
    const store = createConfigStore(dir);
    fs.writeFileSync(store.path, "contexts: [\n");
    expect(() => store.load()).toThrow(/config.yaml is not valid YAML/);
    fs.writeFileSync(store.path, "contexts:\n  - name: x\n");
    expect(() => store.load()).toThrow(/needs a name and an apiUrl/);
  });

  describe("parsed mirror in the cache directory", () => {
    const cache = () => path.join(dir, "cache");
    const mirror = () => path.join(cache(), "config.json");
    const mirrored = () => JSON.parse(fs.readFileSync(mirror(), "utf8"));

    it("is written on save and on a parse, private to the user", () => {
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      expect(mirrored().value).toEqual(two);
      expect(fs.statSync(mirror()).mode & 0o777).toBe(0o600);
      fs.rmSync(mirror());
      expect(store.load()).toEqual(two);
      expect(mirrored()).toEqual({ text: fs.readFileSync(store.path, "utf8"), value: two });
    });

    it("answers while config.yaml holds the very text it was parsed from", () => {
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      // A mirror that says something else shows which one answered.
      fs.writeFileSync(
        mirror(),
        JSON.stringify({ ...mirrored(), value: { current: "b", contexts: two.contexts } }),
      );
      expect(store.load().current).toBe("b");
    });

    it("is not used once the text changed, even at the same size and moment", () => {
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      const text = fs.readFileSync(store.path, "utf8");
      const edited = text.replace("current: a", "current: b");
      expect(edited.length).toBe(text.length);
      const { mtime } = fs.statSync(store.path);
      fs.writeFileSync(store.path, edited);
      fs.utimesSync(store.path, mtime, mtime);
      expect(store.load().current).toBe("b");
      expect(mirrored().text).toBe(edited);
    });

    it("is parsed anew when it is corrupt, and a broken config.yaml is never mirrored", () => {
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      fs.writeFileSync(mirror(), "{not json");
      expect(store.load()).toEqual(two);
      fs.writeFileSync(mirror(), JSON.stringify({ text: "x" }));
      expect(store.load()).toEqual(two);
      fs.writeFileSync(store.path, "contexts: [\n");
      expect(() => store.load()).toThrow(/config.yaml is not valid YAML/);
      expect(mirrored().value).toEqual(two);
    });

    it("checks what it holds like the file itself", () => {
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      fs.writeFileSync(mirror(), JSON.stringify({ ...mirrored(), value: { contexts: [{ name: "x" }] } }));
      expect(() => store.load()).toThrow(/needs a name and an apiUrl/);
    });

    it("is not used from a cache directory other users may write", () => {
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      fs.writeFileSync(
        mirror(),
        JSON.stringify({ ...mirrored(), value: { current: "b", contexts: two.contexts } }),
      );
      fs.chmodSync(cache(), 0o777);
      expect(store.load().current).toBe("a");
    });

    it("leaves commands working when the cache directory cannot be written", () => {
      fs.writeFileSync(cache(), "a file where the directory should be");
      const store = createConfigStore(path.join(dir, "cfg"), cache());
      store.save(two);
      expect(store.load()).toEqual(two);
    });
  });

  it("switches contexts and goes back with -", () => {
    const b = switchContext(two, "b");
    expect([b.current, b.previous]).toEqual(["b", "a"]);
    const back = switchContext(b, "-");
    expect([back.current, back.previous]).toEqual(["a", "b"]);
    expect(code(() => switchContext(two, "-"))).toBe(2);
    expect(code(() => switchContext(two, "zzz"))).toBe(2);
  });

  it("upserts and removes contexts, clearing pointers", () => {
    const updated = upsertContext(two, { name: "b", apiUrl: "http://b2.example" });
    expect(updated.contexts.map((c) => c.apiUrl)).toEqual(["http://a.example", "http://b2.example"]);
    const removed = removeContext({ ...two, previous: "b" }, "a");
    expect(removed).toEqual({ previous: "b", contexts: [two.contexts[1]] });
  });

  it("validates names and URLs", () => {
    expect(validateContextName("lab-1.prod_x")).toBe("lab-1.prod_x");
    for (const bad of ["", "-", "a b", "../x", "x".repeat(64)])
      expect(code(() => validateContextName(bad))).toBe(2);
    expect(normalizeApiUrl("https://api.example.com/")).toBe("https://api.example.com");
    for (const bad of ["api.example.com", "ftp://x", "https://u:p@x", "https://x?token=1"]) {
      expect(code(() => normalizeApiUrl(bad))).toBe(2);
    }
  });
});

describe("target resolution", () => {
  it("prefers flags over environment over the current context", () => {
    const env = { METALCTL_CONTEXT: "b", METALCTL_PROJECT: "p-env", METALCTL_API_URL: "http://env.example" };
    expect(resolveTarget(two, {}, {})).toMatchObject({ apiUrl: "http://a.example", project: "p-a" });
    expect(resolveTarget(two, {}, env)).toMatchObject({
      context: { name: "b" },
      apiUrl: "http://env.example",
      project: "p-env",
    });
    expect(
      resolveTarget(two, { context: "a", apiUrl: "http://flag.example", project: "p-flag" }, env),
    ).toMatchObject({ context: { name: "a" }, apiUrl: "http://flag.example", project: "p-flag" });
  });

  it("takes METALCTL_API_TOKEN and errors clearly without a project", () => {
    const t = resolveTarget(
      { contexts: [] },
      {},
      { METALCTL_API_TOKEN: "tok", METALCTL_API_URL: "http://x" },
    );
    expect(t).toEqual({ apiUrl: "http://x", envToken: "tok" });
    expect(code(() => requireProject(t))).toBe(2);
    expect(code(() => resolveTarget(two, { context: "nope" }, {}))).toBe(2);
  });
});
