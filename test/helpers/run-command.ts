import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import type { Transport } from "@connectrpc/connect";
import { Config, Errors } from "@oclif/core";
import type { DepsOverrides } from "../../src/cli/deps.js";
import type { Prompter } from "../../src/cli/prompter.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** RunOptions are the edge of one in-process run: terminal or pipes, environment, stdin, API and clock. */
export interface RunOptions {
  /** A terminal: stdin, stdout and stderr are TTYs (colour, prompts, spinner); default: pipes. */
  terminal?: boolean;
  /** The environment; HOME and the XDG directories default to a fresh temporary home. */
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** The API, e.g. `createRouterTransport` with fake services (see fake-api.ts). */
  transport?: Transport;
  prompter?: Prompter;
  now?: Date;
}

/** CommandRun is what one in-process run printed, its exit code and what `run()` returned. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
  result: unknown;
}

/**
 * runCommand runs a metalctl command from the TypeScript sources in this process, as the binary
 * would (`words` as typed after `metalctl`), with its streams, environment, API transport, prompter
 * and clock swapped in through the command's `overrides()`. The subprocess end-to-end tests keep
 * covering the real binary.
 */
export async function runCommand(words: string[], opts: RunOptions = {}): Promise<CommandRun> {
  const { id, file, argv } = findCommand(words);
  const Cmd = (await import(file)).default;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-run-"));
  const terminal = opts.terminal ?? false;
  const stdout = capture(terminal);
  const stderr = capture(terminal);
  const stdin = Object.assign(Readable.from([opts.stdin ?? ""]), { isTTY: terminal });
  const overrides: DepsOverrides = {
    env: {
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, "config"),
      XDG_CACHE_HOME: path.join(home, "cache"),
      ...opts.env,
    },
    streams: { stdin, stdout, stderr },
    ...(opts.transport ? { transport: opts.transport } : {}),
    ...(opts.prompter ? { prompter: opts.prompter } : {}),
    ...(opts.now ? { now: () => opts.now! } : {}),
  };
  // The command class as the binary loads it, with the edge of the process replaced.
  const InProcess = class extends Cmd {
    protected overrides(): DepsOverrides {
      return overrides;
    }
  };
  InProcess.id = id;
  let code = 0;
  let result: unknown;
  try {
    result = await InProcess.run(argv, await config());
  } catch (err) {
    if (!(err instanceof Errors.ExitError)) throw err;
    code = err.oclif.exit ?? 1;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  return { code, stdout: stdout.text, stderr: withoutSpinner(stderr.text), result };
}

let loaded: Promise<Config> | undefined;
function config(): Promise<Config> {
  loaded ??= Config.load(ROOT);
  return loaded;
}

/** findCommand maps typed words to the longest command file under commands/ and the rest to argv. */
function findCommand(words: string[]): { id: string; file: string; argv: string[] } {
  for (let i = words.length; i > 0; i--) {
    const parts = words.slice(0, i);
    for (const file of [`${parts.join("/")}.ts`, `${parts.join("/")}/index.ts`]) {
      const full = path.join(ROOT, "commands", file);
      if (fs.existsSync(full)) return { id: parts.join(":"), file: full, argv: words.slice(i) };
    }
  }
  throw new Error(`no command for ${words.join(" ")}`);
}

function capture(isTTY: boolean) {
  const stream = new Writable({
    write(chunk, _enc, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { text: string; isTTY: boolean; columns: number };
  stream.text = "";
  stream.isTTY = isTTY;
  stream.columns = 120;
  return stream;
}

/** withoutSpinner drops the spinner frames a slow call may draw on a terminal's stderr. */
function withoutSpinner(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the frames are carriage returns and an erase-line escape
  return text.replace(/\r(?:[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [^\r\n]*|\x1b\[2K)/g, "");
}
