import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/server/config.js";
import { createLogger } from "../../../src/server/log.js";
import { serveConfig } from "../../../src/server/main.js";
import { startServer } from "../../../src/server/server.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-secret-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let files = 0;
function file(text: string, mode = 0o600): string {
  const name = path.join(tmp, `file-${files++}`);
  fs.writeFileSync(name, text);
  fs.chmodSync(name, mode);
  return name;
}
const newSecret = () => crypto.randomBytes(32).toString("base64url");
function configError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as Error;
  }
  throw new Error("no error");
}

describe("signing-key secret setting", () => {
  it("is unset by default", () => {
    expect(serveConfig([], {}).signingKeySecret).toBeUndefined();
  });

  it("reads the secret file named by the flag, the variable or the config file key, trimming the newline", () => {
    const secret = newSecret();
    const secretFile = file(`${secret}\n`);
    const yaml = file(`signing-key-secret-file: ${secretFile}\n`);
    for (const config of [
      serveConfig(["--signing-key-secret-file", secretFile], {}),
      serveConfig([], { METAL_APISERVER_SIGNING_KEY_SECRET_FILE: secretFile }),
      serveConfig(["--config", yaml], {}),
    ]) {
      expect(config.signingKeySecret?.value).toBe(secret);
      expect(config.signingKeySecret?.warning).toBeUndefined();
    }
    expect(serveConfig(["--config", yaml], {}).signingKeySecret?.setting).toContain(
      'key "signing-key-secret-file"',
    );
  });

  it("takes the value from METAL_APISERVER_SIGNING_KEY_SECRET, but a file wins", () => {
    const fromEnv = newSecret();
    const fromFile = newSecret();
    expect(serveConfig([], { METAL_APISERVER_SIGNING_KEY_SECRET: fromEnv }).signingKeySecret).toEqual({
      value: fromEnv,
      setting: "METAL_APISERVER_SIGNING_KEY_SECRET",
    });
    const both = serveConfig(["--signing-key-secret-file", file(fromFile)], {
      METAL_APISERVER_SIGNING_KEY_SECRET: fromEnv,
    });
    expect(both.signingKeySecret?.value).toBe(fromFile);
  });

  it("never takes the secret itself as a flag (it would show in process lists)", () => {
    expect(() => serveConfig(["--signing-key-secret", newSecret()], {})).toThrow(/--signing-key-secret/);
  });

  it("refuses a short secret without printing it", () => {
    const short = "tooshort-but-secret";
    const err = configError(() => serveConfig(["--signing-key-secret-file", file(short)], {}));
    expect(err.message).toMatch(/^--signing-key-secret-file \(.*\): .*at least 32 random characters/);
    expect(err.message).not.toContain(short);
    const envErr = configError(() => serveConfig([], { METAL_APISERVER_SIGNING_KEY_SECRET: short }));
    expect(envErr.message).toMatch(/^METAL_APISERVER_SIGNING_KEY_SECRET: /);
    expect(envErr.message).not.toContain(short);
    expect(() => serveConfig(["--signing-key-secret-file", file("\n")], {})).toThrow(/at least 32/);
  });

  it("names the setting and the file it cannot read", () => {
    const missing = path.join(tmp, "missing");
    const err = configError(() => serveConfig([], { METAL_APISERVER_SIGNING_KEY_SECRET_FILE: missing }));
    expect(err.message).toBe(`METAL_APISERVER_SIGNING_KEY_SECRET_FILE: cannot read ${missing} (ENOENT)`);
  });

  it("warns about a secret file every user can read and refuses one every user can write", () => {
    const secret = newSecret();
    const readable = file(secret, 0o644);
    const config = serveConfig(["--signing-key-secret-file", readable], {});
    expect(config.signingKeySecret?.value).toBe(secret);
    expect(config.signingKeySecret?.warning).toBe(
      `--signing-key-secret-file: ${readable} is readable by every user on this host; run chmod 600 ${readable}`,
    );
    expect(
      serveConfig(["--signing-key-secret-file", file(secret, 0o640)], {}).signingKeySecret?.warning,
    ).toBe(undefined);
    const writable = file(secret, 0o666);
    const err = configError(() => serveConfig(["--signing-key-secret-file", writable], {}));
    expect(err.message).toBe(
      `--signing-key-secret-file: ${writable} is writable by every user on this host; run chmod 600 ${writable}`,
    );
    expect(err.message).not.toContain(secret);
  });

  it("logs the readable-file warning once at start, without the secret", async () => {
    const secret = newSecret();
    const readable = file(secret, 0o604);
    const dataDir = fs.mkdtempSync(path.join(tmp, "data-"));
    const lines: string[] = [];
    const server = await startServer(
      {
        ...serveConfig(["--signing-key-secret-file", readable], {}),
        listen: "127.0.0.1:0",
        dataDir,
      },
      { log: createLogger("debug", (l) => lines.push(l)), stdout: () => {} },
    );
    await server.ctx.tokens.keys.active();
    await server.close();
    const warned = lines.filter((l) => l.includes('"level":"warn"'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("is readable by every user on this host");
    expect(lines.join("\n")).not.toContain(secret);
  });
});
