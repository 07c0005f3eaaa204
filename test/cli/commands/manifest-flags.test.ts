import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// Help and TAB completion read oclif.manifest.json, not the command classes. `oclif manifest` collects
// a command's statics by walking its prototype chain and stops at the first class without static
// fields of its own, so a command one class below a verb factory could lose its global flags there
// (`machine describe --context a <TAB>` took `a` for the machine). Every command's manifest entry must
// list the flags and arguments the command parses at run time.
const root = path.join(import.meta.dirname, "../../..");

interface ManifestCommand {
  id: string;
  pluginName?: string;
  relativePath?: string[];
  flags: Record<string, unknown>;
  args: Record<string, unknown>;
}

interface CommandClass {
  flags?: Record<string, unknown>;
  baseFlags?: Record<string, unknown>;
  args?: Record<string, unknown>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, "oclif.manifest.json"), "utf8")) as {
  commands: Record<string, ManifestCommand>;
};
const ours = Object.values(manifest.commands).filter((c) => c.relativePath);

describe("oclif.manifest.json", () => {
  it("holds every command of the tree", () => {
    expect(ours.length).toBeGreaterThan(100);
  });

  it.each(
    ours.map((c) => [c.id, c] as const),
  )("%s lists the flags and arguments it parses", async (_, entry) => {
    const mod = (await import(pathToFileURL(path.join(root, ...(entry.relativePath ?? []))).href)) as {
      default: CommandClass;
    };
    const command = mod.default;
    const flags = Object.keys({ ...command.baseFlags, ...command.flags }).sort();
    expect(Object.keys(entry.flags).sort()).toEqual(flags);
    expect(Object.keys(entry.args).sort()).toEqual(Object.keys(command.args ?? {}).sort());
  });
});
