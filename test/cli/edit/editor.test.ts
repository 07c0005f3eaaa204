import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { editorCommand, runEditor, startEdit } from "../../../src/cli/edit/editor.js";
import { CliError } from "../../../src/cli/errors.js";

const scripts: string[] = [];
afterEach(() => {
  for (const s of scripts.splice(0)) fs.rmSync(s, { force: true });
});

/** editorScript writes an executable "editor" that runs `body` with the file as $1. */
function editorScript(body: string): string {
  const file = path.join(os.tmpdir(), `metalctl-test-editor-${process.pid}-${scripts.length}.sh`);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o700 });
  scripts.push(file);
  return file;
}

describe("editor", () => {
  it("prefers $VISUAL, then $EDITOR, then vi", () => {
    expect(editorCommand({ VISUAL: "code --wait", EDITOR: "nano" })).toBe("code --wait");
    expect(editorCommand({ VISUAL: " ", EDITOR: "nano" })).toBe("nano");
    expect(editorCommand({})).toBe("vi");
  });

  it("edits a private file through the editor, arguments included", async () => {
    const session = startEdit("machine m/1", "name: web\n");
    try {
      expect(path.basename(session.file)).toBe("machine_m_1.yaml");
      expect(fs.statSync(session.file).mode & 0o777).toBe(0o600);
      const script = editorScript('[ "$1" = "--flag" ] && shift; sed -i "s/web/db/" "$1"');
      await runEditor({ ...process.env, VISUAL: `${script} --flag` }, session.file);
      expect(session.read()).toBe("name: db\n");
    } finally {
      session.discard();
    }
    expect(fs.existsSync(path.dirname(session.file))).toBe(false);
  });

  it("fails when the editor fails, and keeps the file", async () => {
    const session = startEdit("ip", "name: x\n");
    try {
      const err = await runEditor(
        { ...process.env, EDITOR: editorScript("exit 3"), VISUAL: "" },
        session.file,
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).message).toMatch(/exited with status 3; nothing was changed$/);
      expect((err as CliError).hint).toBe(`your edit is kept in ${session.file}`);
      expect(fs.existsSync(session.file)).toBe(true);
    } finally {
      session.discard();
    }
  });
});
