import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertWritableDir, ConfigError, defaultServerConfig } from "../../../src/server/config.js";
import { serveConfig, serveOptions } from "../../../src/server/main.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let files = 0;
function configFile(text: string): string {
  const file = path.join(tmp, `config-${files++}.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

describe("serve configuration precedence", () => {
  const file = configFile(
    [
      "listen: 10.0.0.1:1000",
      "log-level: warn",
      "database-url: postgres://file/db",
      "database-pool-size: 7",
      "dev: true",
    ].join("\n"),
  );

  it("uses the defaults without flags, environment or file", () => {
    const config = serveConfig([], {});
    expect(config).toEqual(defaultServerConfig());
  });

  it("reads the file named by --config", () => {
    const config = serveConfig(["--config", file], {});
    expect(config.listen).toBe("10.0.0.1:1000");
    expect(config.logLevel).toBe("warn");
    expect(config.databaseUrl).toBe("postgres://file/db");
    expect(config.databasePoolSize).toBe(7);
    expect(config.dev).toBe(true);
  });

  it("reads the file named by METAL_APISERVER_CONFIG", () => {
    expect(serveConfig([], { METAL_APISERVER_CONFIG: file }).listen).toBe("10.0.0.1:1000");
  });

  it("lets the environment win over the file", () => {
    const config = serveConfig(["--config", file], {
      METAL_APISERVER_LISTEN: "10.0.0.2:2000",
      METAL_APISERVER_DEV: "false",
      METAL_APISERVER_DATABASE_POOL_SIZE: "3",
    });
    expect(config.listen).toBe("10.0.0.2:2000");
    expect(config.dev).toBe(false);
    expect(config.databasePoolSize).toBe(3);
    expect(config.logLevel).toBe("warn");
  });

  it("lets flags win over the environment and the file", () => {
    const config = serveConfig(["--config", file, "--listen", "10.0.0.3:3000", "--log-level", "debug"], {
      METAL_APISERVER_LISTEN: "10.0.0.2:2000",
      METAL_APISERVER_LOG_LEVEL: "error",
    });
    expect(config.listen).toBe("10.0.0.3:3000");
    expect(config.logLevel).toBe("debug");
  });

  it("treats every flag except --config and --help as a file key", () => {
    const keys = Object.keys(serveOptions).filter((k) => k !== "config" && k !== "help");
    for (const key of keys) {
      const value = serveOptions[key as keyof typeof serveOptions].type === "boolean" ? "false" : '"x"';
      // Only "unknown key" would be wrong here; a value that does not validate is fine.
      try {
        serveConfig(["--config", configFile(`${key}: ${value}`)], {});
      } catch (err) {
        expect((err as Error).message).not.toContain("unknown key");
      }
    }
  });
});

describe("serve configuration errors name the key", () => {
  it.each([
    ["an unknown file key", "lissten: 1.2.3.4:5\n", 'unknown key "lissten"'],
    ["a nested value", "listen:\n  host: x\n", 'key "listen" must be a single value, not a mapping'],
    ["a list", "data-dir: [a, b]\n", 'key "data-dir" must be a single value, not a list'],
    ["a non-boolean dev", "dev: yes\n", 'key "dev" must be true or false'],
    ["a boolean for text", "listen: true\n", 'key "listen" must be text'],
    [
      "a bad log level",
      "log-level: loud\n",
      'key "log-level": "loud" is not one of debug, info, warn, error',
    ],
    [
      "a bad pool size",
      "database-pool-size: 0\n",
      'key "database-pool-size": "0" must be a whole number from 1 to 1000',
    ],
    [
      "a request size limit below the login forms' own",
      "max-request-bytes: 1024\n",
      'key "max-request-bytes": "1024" must be a whole number from 65536 to 1073741824',
    ],
    [
      "a non-postgres database URL",
      "database-url: mysql://x\n",
      'key "database-url": must start with postgres://',
    ],
    ["duplicate keys", "listen: a:1\nlisten: b:2\n", "not valid YAML: Map keys must be unique"],
    ["a top-level list", "- listen\n", "must be a mapping of option names to values"],
  ])("rejects %s in the file", (_name, text, message) => {
    const file = configFile(text);
    expect(() => serveConfig(["--config", file], {})).toThrow(ConfigError);
    expect(() => serveConfig(["--config", file], {})).toThrow(`config file ${file}: `);
    expect(() => serveConfig(["--config", file], {})).toThrow(message);
  });

  it("names the environment variable a bad value came from", () => {
    expect(() => serveConfig([], { METAL_APISERVER_LOG_LEVEL: "loud" })).toThrow(
      "METAL_APISERVER_LOG_LEVEL:",
    );
    expect(() => serveConfig([], { METAL_APISERVER_DEV: "maybe" })).toThrow("METAL_APISERVER_DEV:");
    expect(() => serveConfig([], { METAL_APISERVER_REDIS_URL: "http://x" })).toThrow(
      "METAL_APISERVER_REDIS_URL:",
    );
  });

  it("reads the request size limit from flag, environment and file, 4 MiB by default", () => {
    expect(serveConfig([], {}).maxRequestBytes).toBe(4 * 1024 * 1024);
    expect(serveConfig(["--max-request-bytes", "65536"], {}).maxRequestBytes).toBe(65536);
    expect(serveConfig([], { METAL_APISERVER_MAX_REQUEST_BYTES: "1048576" }).maxRequestBytes).toBe(1048576);
    expect(() => serveConfig(["--max-request-bytes", "4MiB"], {})).toThrow('--max-request-bytes: "4MiB"');
  });

  it("names the flag a bad value came from", () => {
    expect(() => serveConfig(["--database-pool-size", "many"], {})).toThrow('--database-pool-size: "many"');
    expect(() => serveConfig(["--log-level", "loud"], {})).toThrow('--log-level: "loud"');
  });

  it("names a config file that cannot be read", () => {
    const missing = path.join(tmp, "missing.yaml");
    expect(() => serveConfig(["--config", missing], {})).toThrow(
      `config file ${missing}: cannot read it (ENOENT)`,
    );
  });

  it("accepts an empty file", () => {
    expect(serveConfig(["--config", configFile("")], {})).toEqual(defaultServerConfig());
  });
});

describe("data directory check", () => {
  it("creates a missing directory", () => {
    const dir = path.join(tmp, "new", "data");
    assertWritableDir(dir, "--data-dir");
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("names the flag and the directory when it cannot be written", () => {
    const blocker = path.join(tmp, "a-file");
    fs.writeFileSync(blocker, "");
    const dir = path.join(blocker, "data");
    expect(() => assertWritableDir(dir, "--data-dir")).toThrow(
      `--data-dir: cannot write data directory ${dir} (ENOTDIR)`,
    );
  });
});
