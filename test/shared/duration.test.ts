import { timestampDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { parseDuration as parseDurationFlag } from "../../src/cli/duration.js";
import { CliError } from "../../src/cli/errors.js";
import { tokenCreateRequest } from "../../src/cli/resources/token.js";
import { parseTokenCreateArgs } from "../../src/server/token/token-create-command.js";
import { parseDuration } from "../../src/shared/duration.js";

const DAY = 86_400_000;
const valid: [string, number][] = [
  ["250ms", 250],
  ["30s", 30_000],
  ["15m", 900_000],
  ["12h", 43_200_000],
  ["30d", 30 * DAY],
  ["2w", 14 * DAY],
  ["1y", 365 * DAY],
  ["1d12h", DAY + 43_200_000],
  [" 1h30m ", 5_400_000],
];
const invalid = [
  "",
  "30",
  "d",
  "-1d",
  "1.5d",
  "30 days",
  "0s",
  "0h",
  "1d foo",
  "1Y",
  "1h-",
  `${"9".repeat(20)}y`,
];

describe("the one duration grammar", () => {
  it.each(valid)("reads %j", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(invalid)("refuses %j", (text) => expect(parseDuration(text)).toBeUndefined());
});

describe("metalctl and metal-apiserver read durations alike", () => {
  const now = new Date("2026-01-10T12:00:00Z");
  const cliToken = (expires: string) =>
    tokenCreateRequest({ expires, "project-role": ["p1=viewer"] }, [], now);
  const serverToken = (expires: string) =>
    parseTokenCreateArgs(["--admin-role", "viewer", "--expires", expires], (m) => new Error(m));

  it.each(valid)("both take --expires %j", (text, ms) => {
    expect(parseDurationFlag(text, "--expires")).toBe(ms);
    expect(timestampDate(cliToken(text).expires!).getTime() - now.getTime()).toBe(ms);
    expect(serverToken(text).expiresMs).toBe(ms);
  });

  it.each(invalid)("both refuse --expires %j, naming the flag", (text) => {
    expect(() => parseDurationFlag(text, "--expires")).toThrow(CliError);
    expect(() => cliToken(text)).toThrow(/--expires .*is not a duration/);
    expect(() => serverToken(text)).toThrow(/--expires: .*(is not a duration|required)/);
  });
});
