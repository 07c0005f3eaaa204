import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/server/config.js";
import { startupFailure, UsageError } from "../../../src/server/startup-failure.js";

describe("startupFailure", () => {
  it("prints one line for an error whose code is a number, and exits 1", () => {
    const err = new ConnectError("fetch failed", Code.Unavailable);
    expect(startupFailure(err)).toEqual({ line: "[unavailable] fetch failed", usage: false, exitCode: 1 });
  });

  it("keeps only the first line of a long message", () => {
    expect(startupFailure(new Error("\nfirst problem\n    at stack frame\n")).line).toBe("first problem");
  });

  it("handles values that are not errors at all", () => {
    expect(startupFailure("plain text").line).toBe("plain text");
    expect(startupFailure(undefined).line).toBe("undefined");
    expect(startupFailure(new Error("")).line).toBe("stopped by an error without a message");
  });

  it("names the flag to change for a port in use", () => {
    const err = Object.assign(new Error("listen EADDRINUSE: address already in use 127.0.0.1:80"), {
      code: "EADDRINUSE",
    });
    expect(startupFailure(err)).toMatchObject({ exitCode: 1, line: expect.stringContaining("--listen") });
  });

  it("treats bad flags, variables and files as usage errors with exit code 2", () => {
    for (const err of [
      new UsageError('unknown command "serv"'),
      new ConfigError("--log-level: nope"),
      Object.assign(new TypeError("Unknown option '--x'"), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" }),
    ]) {
      expect(startupFailure(err)).toMatchObject({ usage: true, exitCode: 2 });
    }
  });
});
