import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveOptions } from "../../../src/server/main.js";
import { runApiserver } from "../../helpers/cli.js";

// These tests run the built server (`npm run build`, which `npm test` does first) as an operator would.
const root = path.resolve(import.meta.dirname, "../../..");
const bin = path.join(root, "bin/apiserver.js");

const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runApiserver(args, { PATH: process.env.PATH, ...env }, { cwd: tmp });

let tmp: string;
beforeAll(() => {
  if (!fs.existsSync(path.join(root, "dist/src/server/main.js"))) {
    throw new Error("dist/ is missing: run `npm run build` before these tests (npm test does)");
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metal-cli-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("metal-apiserver command line", () => {
  it("documents every serve option and its environment variable in --help", async () => {
    const { code, stdout } = await run(["serve", "--help"]);
    expect(code).toBe(0);
    for (const [name, option] of Object.entries(serveOptions)) {
      expect(stdout).toContain(`--${name}`);
      if (name !== "help") {
        expect(stdout).toContain(`METAL_APISERVER_${name.toUpperCase().replaceAll("-", "_")}`);
      }
      if ("short" in option) expect(stdout).toContain(`-${option.short}`);
    }
  });

  it("exits 2 on an unknown flag, naming it", async () => {
    const { code, stderr } = await run(["serve", "--lissten", "127.0.0.1:0"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--lissten");
    expect(stderr).toContain("metal-apiserver --help");
  });

  it("exits 2 on an unknown command", async () => {
    const { code, stderr } = await run(["serv"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "serv"');
  });

  it("exits 1 when the port is in use, naming the address and the flag", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const { code, stderr } = await run([
        "serve",
        "--listen",
        `127.0.0.1:${port}`,
        "--data-dir",
        path.join(tmp, "d1"),
      ]);
      expect(code).toBe(1);
      expect(stderr).toContain("address already in use");
      expect(stderr).toContain(`127.0.0.1:${port}`);
      expect(stderr).toContain("--listen");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("exits 2 when the data directory cannot be written, naming it", async () => {
    const blocker = path.join(tmp, "plain-file");
    fs.writeFileSync(blocker, "");
    const dataDir = path.join(blocker, "data");
    const result = await run(["serve", "--listen", "127.0.0.1:0"], { METAL_APISERVER_DATA_DIR: dataDir });
    // One assertion on the whole result, so a failure also shows what the server printed.
    expect(result).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--data-dir: cannot write data directory ${dataDir}`),
    });
  });

  it("exits 2 on a bad config file key, naming file and key", async () => {
    const file = path.join(tmp, "bad.yaml");
    fs.writeFileSync(file, "listen: 127.0.0.1:0\nredis: redis://x\n");
    const { code, stderr } = await run(["serve", "--config", file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`config file ${file}: unknown key "redis"`);
  });

  it("exits 1 with a clear message when PostgreSQL is unreachable, without the password", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await run(["serve", "--listen", "127.0.0.1:0"], {
      METAL_APISERVER_DATABASE_URL: `postgres://metal:pw-s3cret@127.0.0.1:${port}/metal`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach PostgreSQL at 127.0.0.1:${port}/metal`);
    expect(stderr).not.toContain("pw-s3cret");
  });

  it.each([
    ["", []],
    [" in dev mode", ["--dev"]],
  ])(
    "serves with settings from a config file%s, says it is listening once and stops cleanly on SIGTERM",
    async (_, extra) => {
      const dataDir = path.join(tmp, `from-file${extra.join("")}`);
      const file = path.join(tmp, "good.yaml");
      fs.writeFileSync(file, `listen: 127.0.0.1:0\ndata-dir: ${dataDir}\nlog-level: info\n`);
      const child: ChildProcess = spawn(process.execPath, [bin, "serve", "--config", file, ...extra], {
        cwd: tmp,
        env: { PATH: process.env.PATH },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout?.on("data", (d) => {
          out += d;
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.once("close", (code) =>
          reject(new Error(`server exited with ${code} before listening: ${out}`)),
        );
      });
      try {
        const res = await fetch(`${url}/metalstack.api.v2.HealthService/Get`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        });
        expect(res.status).toBe(200);
        expect(fs.existsSync(path.join(dataDir, "metal.db"))).toBe(true);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
      expect(out.match(/listening/g)).toEqual(["listening"]);
    },
    60_000,
  );
});
