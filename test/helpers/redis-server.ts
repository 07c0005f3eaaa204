import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { required } from "./components.js";

/** REDIS_SERVER is Debian's redis-server, which the fault tests start on a port of their own. */
const REDIS_SERVER = "/usr/bin/redis-server";

/** ownRedisAvailable tells whether a private redis-server can be started here (see `required` for CI). */
export function ownRedisAvailable(): boolean {
  return required(
    fs.existsSync(REDIS_SERVER),
    "redis-server",
    "apt-get install redis-server, or run .ci/run",
  );
}

/**
 * OwnRedis is a redis-server process that only this test talks to, so it can freeze, kill and restart
 * it: `stop` (SIGSTOP) leaves connections open but silent, `kill` (SIGKILL) drops them, `start` brings
 * it back on the same port with the data it had written (append-only file).
 */
export interface OwnRedis {
  url: string;
  stop(): void;
  resume(): void;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.write("PING\r\n");
    });
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
  });
}

/** startOwnRedis runs redis-server on a free loopback port with its data in a temporary directory. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-redis-"));
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes"],
      { stdio: "ignore" },
    );
    child = started;
    for (let i = 0; i < 200 && !(await answers(port)); i++) {
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    kill,
    start,
    async close() {
      child?.kill("SIGCONT");
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
