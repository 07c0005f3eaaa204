import { spawn } from "node:child_process";
import path from "node:path";

/** ServerProcess is `metal-apiserver serve` running as a child process (from the build in dist/). */
export interface ServerProcess {
  url: string;
  /** Process id, e.g. to read its memory use from /proc. */
  pid: number;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** output returns everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** stop sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * startServerProcess runs `node bin/apiserver.js serve ARGS` (`npm run build` first) with only PATH
 * and `env` in its environment, and resolves once it logged the URL it listens on.
 */
export async function startServerProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const bin = path.resolve(import.meta.dirname, "../../bin/apiserver.js");
  const child = spawn(process.execPath, [bin, "serve", ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`server process exited with ${code}: ${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    exited,
    output: () => output,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
