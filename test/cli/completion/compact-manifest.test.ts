import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compactManifest, expandManifest } from "../../../src/cli/completion/compact-manifest.js";
import type { Manifest } from "../../../src/cli/completion/complete.js";
import { runCompletion } from "../../../src/cli/completion/main.js";

const MANIFEST_PATH = path.join(import.meta.dirname, "../../../oclif.manifest.json");
const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, "utf8")) as Manifest;

/** answer runs one TAB against a manifest or index file, with no config and no API. */
async function answer(file: string, words: string[]): Promise<string> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-compact-"));
  let text = "";
  await runCompletion(words, file, { HOME: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home }, (t) => {
    text += t;
  });
  return text;
}

describe("the completion index", () => {
  const index = compactManifest(manifest);

  it("is much smaller than the manifest", () => {
    expect(JSON.stringify(index).length).toBeLessThan(JSON.stringify(manifest).length / 3);
  });

  it("gives every command back its flags, arguments and completion sources", () => {
    const expanded = expandManifest(index);
    expect(Object.keys(expanded.commands).sort()).toEqual(Object.keys(manifest.commands).sort());
    for (const [id, c] of Object.entries(manifest.commands)) {
      const e = expanded.commands[id]!;
      expect(Object.keys(e.flags).sort(), id).toEqual(Object.keys(c.flags).sort());
      for (const [name, f] of Object.entries(c.flags)) {
        expect(e.flags[name], `${id} --${name}`).toMatchObject({
          name: f.name,
          type: f.type,
          ...(f.char ? { char: f.char } : {}),
          ...(f.options ? { options: f.options } : {}),
        });
      }
      expect(Object.keys(e.args), id).toEqual(Object.keys(c.args));
      expect(e.completion, id).toEqual(c.completion);
      expect(e.aliases, id).toEqual(c.aliases);
    }
  });

  it("answers a TAB exactly as the manifest does", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-index-"));
    const indexPath = path.join(dir, "completion-index.json");
    fs.writeFileSync(indexPath, JSON.stringify(index));
    for (const words of [
      [""],
      ["ma"],
      ["machine", ""],
      ["machine", "list", "--"],
      ["machine", "list", "-o", ""],
      ["admin", "machine", "list", "--st"],
    ]) {
      expect(await answer(indexPath, words), words.join(" ")).toBe(await answer(MANIFEST_PATH, words));
    }
    expect(await answer(indexPath, ["machine", "list", "--"])).toContain("--output");
  });
});
