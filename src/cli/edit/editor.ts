import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError } from "../errors.js";

/** EditSession is a private temporary file holding a document being edited. */
export interface EditSession {
  /** file is the path of the document; it survives a failed update so the edit is not lost. */
  file: string;
  /** read returns the file's current text. */
  read(): string;
  /** discard removes the file and its private directory. */
  discard(): void;
}

/** startEdit writes text to a new file, readable only by the user, named after what is edited. */
export function startEdit(name: string, text: string): EditSession {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-edit-"));
  const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.yaml`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return {
    file,
    read: () => fs.readFileSync(file, "utf8"),
    discard: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** editorCommand is what opens files for editing: $VISUAL, else $EDITOR, else vi (as git and kubectl choose). */
export function editorCommand(env: NodeJS.ProcessEnv): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || "vi";
}

/**
 * runEditor opens the file in the user's editor on the terminal and waits for it to close. The
 * editor setting may carry arguments ("code --wait"), so a shell runs it, with the file as "$1".
 */
export async function runEditor(env: NodeJS.ProcessEnv, file: string): Promise<void> {
  const editor = editorCommand(env);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", `${editor} "$1"`, "sh", file], { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (status) => resolve(status));
  });
  if (code !== 0) {
    throw new CliError(
      `the editor (${editor}) exited with ${code === null ? "a signal" : `status ${code}`}; nothing was changed`,
      undefined,
      `your edit is kept in ${file}`,
    );
  }
}
