import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "./write-atomic.js";

/**
 * readPrivateFile returns a file's text only when the file and its directory belong to this user and
 * no one else may write them; otherwise undefined, as for a missing file. What the CLI keeps in its
 * cache directory (the parsed config, resolved targets) decides where requests and tokens go, so a
 * cache directory in a shared place must not let another user put answers there.
 */
export function readPrivateFile(file: string): string | undefined {
  try {
    if (!ownedAndClosed(path.dirname(file)) || !ownedAndClosed(file)) return undefined;
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * writePrivateFile keeps `content` in a cache file (mode 0600) for readPrivateFile, as well as it can:
 * it writes nothing into a directory others may write, and a read-only or full disk is no error, as a
 * cache only spares work.
 */
export function writePrivateFile(file: string, content: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    if (ownedAndClosed(path.dirname(file))) writeFileAtomic(file, content, 0o600);
  } catch {
    // Nothing kept; the next run does the work again.
  }
}

function ownedAndClosed(p: string): boolean {
  const s = fs.statSync(p);
  // Where there are no user IDs (Windows), the file system's permissions are the only guard.
  if (!process.getuid) return true;
  return s.uid === process.getuid() && (s.mode & 0o022) === 0;
}
