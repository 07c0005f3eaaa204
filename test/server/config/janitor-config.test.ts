import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, defaultServerConfig } from "../../../src/server/config.js";
import { serveConfig } from "../../../src/server/main.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-janitor-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function configFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("janitor settings", () => {
  it("default to an hourly janitor and 90 days of audit rows", () => {
    expect(defaultServerConfig()).toMatchObject({ janitorIntervalMs: HOUR, auditRetentionMs: 90 * DAY });
  });

  it("come from flags, then the environment, then the config file", () => {
    const file = configFile("ok.yaml", "janitor-interval: 6h\naudit-retention: 1y\n");
    expect(serveConfig(["--config", file], {})).toMatchObject({
      janitorIntervalMs: 6 * HOUR,
      auditRetentionMs: 365 * DAY,
    });
    const env = { METAL_APISERVER_JANITOR_INTERVAL: "15m", METAL_APISERVER_AUDIT_RETENTION: "30d" };
    expect(serveConfig(["--config", file], env)).toMatchObject({
      janitorIntervalMs: 15 * MINUTE,
      auditRetentionMs: 30 * DAY,
    });
    expect(
      serveConfig(["--config", file, "--janitor-interval", "2h", "--audit-retention", "2w"], env),
    ).toMatchObject({ janitorIntervalMs: 2 * HOUR, auditRetentionMs: 14 * DAY });
  });

  it("take 0 as keeping audit rows forever, also as a YAML number", () => {
    expect(serveConfig(["--audit-retention", "0"], {}).auditRetentionMs).toBe(0);
    expect(serveConfig([], { METAL_APISERVER_AUDIT_RETENTION: "0" }).auditRetentionMs).toBe(0);
    const file = configFile("zero.yaml", "audit-retention: 0\n");
    expect(serveConfig(["--config", file], {}).auditRetentionMs).toBe(0);
  });

  it("refuse values that are no duration or out of range, naming where they came from", () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [["--janitor-interval", "0"], {}, /^--janitor-interval: "0" must be a duration like .* from 1m to 7d$/],
      [["--janitor-interval", "30s"], {}, /^--janitor-interval: "30s" must be a duration/],
      [["--janitor-interval", "8d"], {}, /from 1m to 7d/],
      [["--janitor-interval", "hourly"], {}, /^--janitor-interval: "hourly"/],
      [[], { METAL_APISERVER_AUDIT_RETENTION: "-1d" }, /^METAL_APISERVER_AUDIT_RETENTION: "-1d" must be/],
      [["--audit-retention", "10m"], {}, /from 1h to 100y, or 0 to keep audit rows forever$/],
      [["--audit-retention", "101y"], {}, /^--audit-retention: "101y"/],
    ];
    for (const [args, env, message] of cases) {
      expect(() => serveConfig(args, env)).toThrow(ConfigError);
      expect(() => serveConfig(args, env)).toThrow(message);
    }
    const file = configFile("bad.yaml", "janitor-interval: often\n");
    expect(() => serveConfig(["--config", file], {})).toThrow(
      new RegExp(`^config file ${file.replaceAll(".", "\\.")}: key "janitor-interval": "often" must be`),
    );
  });
});
