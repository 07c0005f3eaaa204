import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/errors.js";
import { loadJq } from "../../../src/cli/output/jq.js";
import type { JsonValue } from "../../../src/cli/output/printer.js";

const machines: JsonValue = [
  { uuid: "m1", partition: "fra", labels: { team: "a" }, cores: 8 },
  { uuid: "m2", partition: "ams", cores: 16 },
];

const jq = await loadJq();
const runJq = async (input: JsonValue, program: string) => jq(input, program);

async function failure(p: Promise<unknown>): Promise<CliError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

// runJq runs the real jq (WebAssembly); these pin down how its results and errors reach the terminal.
describe("--jq", () => {
  it("prints each result on its own line, strings without quotes", async () => {
    expect(await runJq(machines, ".[] | select(.cores > 8) | .uuid")).toBe("m2\n");
    expect(await runJq(machines, ".[].uuid")).toBe("m1\nm2\n");
    expect(await runJq(machines, "map(.cores) | add")).toBe("24\n");
    expect(await runJq(machines, '.[0].labels // {} | to_entries[] | "\\(.key)=\\(.value)"')).toBe(
      "team=a\n",
    );
  });

  it("prints objects and lists as indented JSON, nothing for no results", async () => {
    expect(await runJq(machines, "[.[] | {uuid}] | .[0]")).toBe('{\n  "uuid": "m1"\n}\n');
    expect(await runJq([], ".[]")).toBe("");
  });

  it("refuses a program jq cannot compile as a usage error with jq's position", async () => {
    const err = await failure(runJq(machines, ".[] | nosuchfunction"));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe("--jq: nosuchfunction/0 is not defined at <top-level>, line 1, column 7");
    expect((await failure(runJq(machines, ".["))).message).toMatch(
      /^--jq: syntax error, unexpected end of file/,
    );
  });

  it("reports a program that fails on the data as an error", async () => {
    const err = await failure(runJq(machines, ".[0].cores.x"));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('--jq: Cannot index number with string ("x")');
    expect((await failure(runJq(machines, 'error("no such machine")'))).message).toBe(
      "--jq: no such machine",
    );
  });
});
