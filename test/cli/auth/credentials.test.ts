import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCredentialStore } from "../../../src/cli/auth/credentials.js";
import { type Keychain, probeKeychain } from "../../../src/cli/auth/keychain.js";
import { CliError } from "../../../src/cli/errors.js";

// A keychain held in a Map stands in for the OS one here; the real Secret Service is exercised by
// test/e2e/cli-keychain.test.ts under dbus-run-session.
function mapKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (a) => entries.get(a),
    set: async (a, s) => {
      entries.set(a, s);
    },
    delete: async (a) => {
      entries.delete(a);
    },
  };
}

const broken: Keychain = {
  get: async () => {
    throw new Error("Platform failure: no D-Bus");
  },
  set: async () => {
    throw new Error("Platform failure: no D-Bus");
  },
  delete: async () => {
    throw new Error("Platform failure: no D-Bus");
  },
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-creds-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("credential store", () => {
  it("keeps one keychain entry per context", async () => {
    const kc = mapKeychain();
    const store = createCredentialStore(dir, () => kc);
    await store.write("lab", "keychain", { accessToken: "a1", refreshToken: "r1" });
    await store.write("prod", "keychain", { accessToken: "a2" });
    expect(await store.read("lab", "keychain")).toEqual({ accessToken: "a1", refreshToken: "r1" });
    expect([...kc.entries.keys()]).toEqual(["lab", "prod"]);
    await store.remove("lab", "keychain");
    expect(await store.read("lab", "keychain")).toBeUndefined();
    expect(fs.existsSync(store.fallbackPath)).toBe(false);
  });

  it("writes the fallback file with mode 0600 and removes single contexts", async () => {
    const store = createCredentialStore(dir, () => broken);
    await store.write("lab", "file", { accessToken: "a1", expiresAt: "2026-01-01T00:00:00.000Z" });
    await store.write("ci", "file", { accessToken: "a2" });
    expect(fs.statSync(store.fallbackPath).mode & 0o777).toBe(0o600);
    expect(await store.read("lab", "file")).toEqual({
      accessToken: "a1",
      expiresAt: "2026-01-01T00:00:00.000Z",
    });
    await store.remove("lab", "file");
    expect(await store.read("lab", "file")).toBeUndefined();
    expect(await store.read("ci", "file")).toEqual({ accessToken: "a2" });
  });

  it("writes the fallback file as JSON, and still reads one written as YAML before", async () => {
    const store = createCredentialStore(dir, () => broken);
    fs.writeFileSync(
      store.fallbackPath,
      "lab:\n  accessToken: a1\n  refreshToken: mrt_x\n  apiUrl: http://127.0.0.1:1\n",
      { mode: 0o600 },
    );
    expect(await store.read("lab", "file")).toEqual({
      accessToken: "a1",
      refreshToken: "mrt_x",
      apiUrl: "http://127.0.0.1:1",
    });
    await store.write("ci", "file", { accessToken: "a2" });
    expect(JSON.parse(fs.readFileSync(store.fallbackPath, "utf8"))).toEqual({
      lab: { accessToken: "a1", refreshToken: "mrt_x", apiUrl: "http://127.0.0.1:1" },
      ci: { accessToken: "a2" },
    });
    // A broken file is named, and no part of a token in it appears in the error.
    fs.writeFileSync(store.fallbackPath, "lab:\n  accessToken: secret-token-value\n  x: [\n");
    const err = await store.read("lab", "file").catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toContain(store.fallbackPath);
    expect(err.message).not.toContain("secret");
  });

  it("ignores garbage entries and reports an unusable keychain as 'log in again'", async () => {
    const kc = mapKeychain();
    kc.entries.set("lab", "not json");
    expect(await createCredentialStore(dir, () => kc).read("lab", "keychain")).toBeUndefined();
    const err = await createCredentialStore(dir, () => broken)
      .read("lab", "keychain")
      .catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(3);
    expect(err.hint).toContain("--insecure-storage");
  });

  it("probes a keychain by writing, reading back and deleting", async () => {
    const kc = mapKeychain();
    expect(await probeKeychain(kc)).toBe(true);
    expect(kc.entries.size).toBe(0);
    expect(await probeKeychain(broken)).toBe(false);
    const lying: Keychain = { ...mapKeychain(), get: async () => "something else" };
    expect(await probeKeychain(lying)).toBe(false);
  });
});
