import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Manifest, plan } from "../../../src/cli/completion/complete.js";

// The manifest `npm run build` writes: the real command tree, as the shell completion reads it.
const manifest = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, "../../../oclif.manifest.json"), "utf8"),
) as Manifest;

function values(words: string[]): string[] {
  const { need } = plan(manifest, words);
  return need.type === "fixed" ? need.candidates.map((c) => c.value).sort() : [`<${need.source.kind}>`];
}

describe("completion of the machine operation commands", () => {
  it.each([
    [
      ["machine", "power", ""],
      ["cycle", "off", "on", "reset"],
    ],
    [
      ["machine", "boot", ""],
      ["bios", "disk", "pxe"],
    ],
    [
      ["machine", "identify", ""],
      ["off", "on"],
    ],
  ])("offers the subcommands of %j", (words, expected) => {
    expect(values(words)).toEqual(expected);
  });

  it.each([
    [["machine", "power", "cycle", ""]],
    [["machine", "boot", "pxe", ""]],
    [["machine", "identify", "on", ""]],
    [["machine", "reinstall", ""]],
    [["machine", "events", ""]],
    [["admin", "machine", "lock", ""]],
    [["admin", "machine", "bmc", ""]],
  ])("completes machine IDs after %j", (words) => {
    expect(values(words)).toEqual(["<machine>"]);
  });

  it("destructive power actions take --yes, power on does not", () => {
    expect(manifest.commands["machine:power:cycle"]?.flags.yes).toBeDefined();
    expect(manifest.commands["machine:power:off"]?.flags.yes).toBeDefined();
    expect(manifest.commands["machine:power:on"]?.flags.yes).toBeUndefined();
  });
});
