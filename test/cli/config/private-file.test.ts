import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPrivateFile, writePrivateFile } from "../../../src/cli/config/private-file.js";
import { writeFileAtomic } from "../../../src/cli/config/write-atomic.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-private-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("private cache files", () => {
  it("are written 0600 into a 0700 directory and read back", () => {
    const file = path.join(dir, "cache", "x.json");
    writePrivateFile(file, "{}");
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readPrivateFile(file)).toBe("{}");
  });

  it("are neither read nor written where another user may write", () => {
    const shared = path.join(dir, "shared");
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    const planted = path.join(shared, "x.json");
    fs.writeFileSync(planted, '{"planted":true}', { mode: 0o600 });
    expect(readPrivateFile(planted)).toBeUndefined();
    writePrivateFile(planted, "{}");
    expect(fs.readFileSync(planted, "utf8")).toBe('{"planted":true}');

    const open = path.join(dir, "open.json");
    fs.writeFileSync(open, "{}");
    fs.chmodSync(open, 0o666);
    expect(readPrivateFile(open)).toBeUndefined();
  });

  it("never write through a link planted under the temporary name", () => {
    const victim = path.join(dir, "victim");
    fs.writeFileSync(victim, "keep");
    const file = path.join(dir, "config.yaml");
    fs.symlinkSync(victim, `${file}.${process.pid}.tmp`);
    writeFileAtomic(file, "new", 0o644);
    expect(fs.readFileSync(victim, "utf8")).toBe("keep");
    expect(fs.readFileSync(file, "utf8")).toBe("new");
  });
});
