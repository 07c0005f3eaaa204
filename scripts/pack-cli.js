#!/usr/bin/env node
// `npm run pack`: writes metalctl-<version>.tgz, the CLI alone as an npm package (see cli-package.js),
// which `npm install -g` installs without a build step, dev dependencies or install scripts.
// Usage: node scripts/pack-cli.js [--out DIR]   (default: the repository root; after `npm run build`)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, stageCliPackage } from "./cli-package.js";

const { values } = parseArgs({ options: { out: { type: "string", default: ROOT } } });
const out = path.resolve(values.out);
const stage = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-pack-"));
try {
  const dir = path.join(stage, "metalctl");
  stageCliPackage(dir);
  fs.mkdirSync(out, { recursive: true });
  // The npm that runs this script (npm run sets npm_execpath), else the one on the PATH.
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
  const json = execFileSync(npm[0], [...npm.slice(1), "pack", "--json", "--pack-destination", out], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [{ filename, entryCount, size }] = JSON.parse(json);
  console.log(`${path.join(out, filename)} (${entryCount} files, ${(size / 1024).toFixed(0)} kB)`);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
