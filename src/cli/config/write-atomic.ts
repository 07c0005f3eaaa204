import fs from "node:fs";
import path from "node:path";

/**
 * writeFileAtomic writes via a temporary file and rename, creating the directory (0700) first. The
 * temporary file is created anew ("wx"), so a link planted under its name is never written through.
 */
export function writeFileAtomic(file: string, content: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, content, { mode, flag: "wx" });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}
