import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/server/store/db.js";
import { isSealed } from "../../../src/shared/key-encryption.js";
import { runApiserver } from "../../helpers/cli.js";

// The built server (`npm run build`) as an operator runs it: the refusals must reach the terminal.
const root = path.resolve(import.meta.dirname, "../../..");
// The kill timer only guards against a server that starts instead of refusing; no test waits for it.
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runApiserver(args, { PATH: process.env.PATH, ...env }, { cwd: tmp, timeout: 60_000 });

let tmp: string;
let dataDir: string;
const secret = crypto.randomBytes(32).toString("base64url");
const wrong = crypto.randomBytes(32).toString("base64url");
let secretFile: string;
let wrongFile: string;
const store = () => ["--data-dir", dataDir, "--public-url", "http://127.0.0.1:18098"];
const tokenCreate = ["token", "create", "--admin-role", "viewer", "--expires", "1h"];

beforeAll(() => {
  if (!fs.existsSync(path.join(root, "dist/src/server/main.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before these tests (npm test does)");
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-secret-cli-"));
  dataDir = path.join(tmp, "data");
  secretFile = path.join(tmp, "secret");
  wrongFile = path.join(tmp, "wrong");
  fs.writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  fs.writeFileSync(wrongFile, `${wrong}\n`, { mode: 0o600 });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("metal-apiserver with a signing-key secret", () => {
  it("token create stores the signing key encrypted", async () => {
    const res = await run([...tokenCreate, ...store(), "--signing-key-secret-file", secretFile]);
    expect(res.stderr).not.toContain("metal-apiserver:");
    expect(res.code).toBe(0);
    const db = openDatabase({ databaseUrl: "", dataDir });
    try {
      const rows = await db.kysely.selectFrom("signing_keys").select("private_jwk").execute();
      expect(rows).toHaveLength(1);
      expect(rows.every((r) => isSealed(r.private_jwk) && !r.private_jwk.includes('"d"'))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it("serve without the secret refuses to start, saying which setting to give", async () => {
    const res = await run(["serve", ...store(), "--listen", "127.0.0.1:0"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /^metal-apiserver: the signing keys in the database are encrypted, but no key-encryption secret is set: start with --signing-key-secret-file FILE/m,
    );
    expect(res.stderr).toContain("METAL_APISERVER_SIGNING_KEY_SECRET_FILE");
    expect(`${res.stdout}${res.stderr}`).not.toContain(secret);
  });

  it("serve with a wrong secret refuses to start, naming the setting and the file", async () => {
    const res = await run(["serve", ...store(), "--listen", "127.0.0.1:0"], {
      METAL_APISERVER_SIGNING_KEY_SECRET_FILE: wrongFile,
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `with the secret from METAL_APISERVER_SIGNING_KEY_SECRET_FILE (${wrongFile})`,
    );
    expect(res.stderr).toContain("not the secret they were encrypted with");
    expect(`${res.stdout}${res.stderr}`).not.toContain(wrong);
    expect(`${res.stdout}${res.stderr}`).not.toContain(secret);
  });

  it("token create with a wrong secret in the variable refuses too, without printing it", async () => {
    const res = await run([...tokenCreate, ...store()], { METAL_APISERVER_SIGNING_KEY_SECRET: wrong });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toContain("with the secret from METAL_APISERVER_SIGNING_KEY_SECRET:");
    expect(res.stderr).not.toContain(wrong);
  });

  it("token create with the right secret from the variable works", async () => {
    const res = await run([...tokenCreate, ...store()], { METAL_APISERVER_SIGNING_KEY_SECRET: secret });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });
});
