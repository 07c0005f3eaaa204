import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, defaultServerConfig } from "../../../src/server/config.js";
import { serveConfig } from "../../../src/server/main.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-fault-settings-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("shutdown grace", () => {
  it("defaults to 10 s and is read from flag and environment", () => {
    expect(defaultServerConfig().shutdownGraceMs).toBe(10_000);
    expect(serveConfig([], { METAL_APISERVER_SHUTDOWN_GRACE: "25s" }).shutdownGraceMs).toBe(25_000);
    expect(serveConfig(["--shutdown-grace", "2m"], {}).shutdownGraceMs).toBe(120_000);
    expect(() => serveConfig(["--shutdown-grace", "0"], {})).toThrow(
      /^--shutdown-grace: "0" must be a duration like .* from 1s to 10m$/,
    );
  });
});

describe("database timeout", () => {
  it("defaults to 5 s and is read from flag, environment and file", () => {
    expect(defaultServerConfig().databaseTimeoutMs).toBe(5000);
    const file = path.join(tmp, "timeout.yaml");
    fs.writeFileSync(file, "database-timeout: 3s\n");
    expect(serveConfig(["--config", file], {}).databaseTimeoutMs).toBe(3000);
    expect(
      serveConfig(["--config", file], { METAL_APISERVER_DATABASE_TIMEOUT: "2s" }).databaseTimeoutMs,
    ).toBe(2000);
    expect(serveConfig(["--database-timeout", "1m"], {}).databaseTimeoutMs).toBe(60_000);
  });

  it.each([
    ["0", /^--database-timeout: "0" must be a duration like .* from 1s to 10m$/],
    ["11m", /from 1s to 10m$/],
    ["soon", /^--database-timeout: "soon"/],
  ])("refuses %s, naming the flag and the range", (value, message) => {
    expect(() => serveConfig(["--database-timeout", value], {})).toThrow(ConfigError);
    expect(() => serveConfig(["--database-timeout", value], {})).toThrow(message);
  });
});
