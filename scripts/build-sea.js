#!/usr/bin/env node
// `npm run build:sea`: writes dist-sea/metalctl, a single executable for machines without Node.js
// (Node's single-executable applications). It is the running node binary with, injected by
// postject, scripts/sea/entry.cjs (compiled into V8's code cache) and one asset: the metalctl
// package of `npm run pack` with its dependencies copied from node_modules (this platform's keyring
// addon included). Build it with the Node it should carry; after `npm run build`.
// Usage: node scripts/build-sea.js [--out FILE]
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { inject } from "postject";
import { ROOT, stageCliPackage } from "./cli-package.js";

// The marker Node looks for in its binary to know a blob was injected (Node's SEA documentation).
const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

const { values } = parseArgs({
  options: { out: { type: "string", default: path.join(ROOT, "dist-sea/metalctl") } },
});
const out = path.resolve(values.out);
const started = Date.now();
const stage = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-sea-"));
try {
  const app = path.join(stage, "app");
  for (const at of stageCliPackage(app)) {
    const from = path.join(ROOT, at);
    // Optional packages for other platforms are not installed here, and not needed.
    if (!fs.existsSync(from)) continue;
    // Nested node_modules are entries of their own.
    const nested = path.join(from, "node_modules");
    fs.cpSync(from, path.join(app, at), { recursive: true, filter: (src) => src !== nested });
  }

  const files = fs
    .readdirSync(app, { recursive: true })
    .map((f) => ({ rel: f.toString(), stat: fs.statSync(path.join(app, f.toString())) }))
    .filter((f) => f.stat.isFile())
    .sort((a, b) => (a.rel < b.rel ? -1 : 1));
  const header = Buffer.from(JSON.stringify(files.map((f) => [f.rel, f.stat.mode & 0o777, f.stat.size])));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const archive = Buffer.concat([
    length,
    header,
    ...files.map((f) => fs.readFileSync(path.join(app, f.rel))),
  ]);
  const { version } = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8"));
  const id = `${version}-${crypto.createHash("sha256").update(archive).digest("hex").slice(0, 16)}`;
  fs.writeFileSync(path.join(stage, "app.bin"), archive);
  fs.writeFileSync(path.join(stage, "id"), id);

  const config = {
    main: path.join(ROOT, "scripts/sea/entry.cjs"),
    output: path.join(stage, "sea.blob"),
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: { app: path.join(stage, "app.bin"), id: path.join(stage, "id") },
  };
  fs.writeFileSync(path.join(stage, "sea-config.json"), JSON.stringify(config));
  // It reports success on stderr; a failure throws with that output.
  execFileSync(process.execPath, ["--experimental-sea-config", path.join(stage, "sea-config.json")], {
    stdio: "pipe",
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.rmSync(out, { force: true });
  fs.copyFileSync(process.execPath, out);
  fs.chmodSync(out, 0o755);
  // postject's ELF writer warns about every note section it leaves alone; its output is shown only
  // when the injection fails.
  const stderrWrite = process.stderr.write;
  let warnings = "";
  process.stderr.write = (chunk) => {
    warnings += chunk;
    return true;
  };
  try {
    await inject(out, "NODE_SEA_BLOB", fs.readFileSync(config.output), { sentinelFuse: FUSE });
  } catch (err) {
    process.stderr.write = stderrWrite;
    process.stderr.write(warnings);
    throw err;
  } finally {
    process.stderr.write = stderrWrite;
  }
  const reported = execFileSync(out, ["--version"], {
    encoding: "utf8",
    env: { ...process.env, XDG_CACHE_HOME: path.join(stage, "cache") },
  });
  console.log(
    `${out}: ${(fs.statSync(out).size / 2 ** 20).toFixed(0)} MB, Node ${process.version}, ${files.length} files (${reported.trim()}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
