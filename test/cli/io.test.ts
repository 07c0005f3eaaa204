import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createIO } from "../../src/cli/io.js";

const stream = (tty: boolean) => Object.assign(new PassThrough(), { isTTY: tty, columns: 120 });

describe("io", () => {
  it("uses colour only on a terminal, never with NO_COLOR, --no-color or TERM=dumb", () => {
    const io = (tty: boolean, env: NodeJS.ProcessEnv = {}, noColor = false) =>
      createIO({ stdin: stream(tty), stdout: stream(tty), stderr: stream(tty), env, noColor });
    expect(io(true).color).toBe(true);
    expect(io(true).width).toBe(120);
    expect(io(false).color).toBe(false);
    expect(io(false).width).toBeUndefined();
    expect(io(true, { NO_COLOR: "1" }).color).toBe(false);
    expect(io(true, {}, true).color).toBe(false);
    expect(io(true, { TERM: "dumb" }).color).toBe(false);
    expect(io(false).canPrompt).toBe(false);
  });

  it("writes results to stdout and chatter to stderr; no spinner off a terminal", () => {
    const stdout = stream(false);
    const stderr = stream(false);
    const io = createIO({ stdin: stream(false), stdout, stderr, env: {} });
    io.out("result");
    io.err("note");
    io.spin("working")();
    expect(stdout.read()?.toString()).toBe("result\n");
    expect(stderr.read()?.toString()).toBe("note\n");
  });
});
