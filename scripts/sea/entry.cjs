// Entry of the single executable (Node's SEA): the executable carries the metalctl npm package with
// its dependencies (the keyring's native addon among them) as one asset. The first run of a build
// writes it to $XDG_CACHE_HOME/metalctl/sea-<build id>/ (~/.cache by default); every run then starts
// bin/run.cjs from there, so oclif finds its commands by path and the addon loads from a file.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { createRequire } = require("node:module");
const sea = require("node:sea");

/** cacheDir is where this build's files live: a directory per build id, so upgrades never mix files. */
function cacheDir() {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache");
  return path.join(base, "metalctl", `sea-${sea.getAsset("id", "utf8")}`);
}

/**
 * extract writes the archive (a 4-byte header length, a JSON list of [path, mode, size], then the
 * files' bytes) into a fresh sibling directory and renames it into place, so a run sees all files
 * or none; when another run won the race, its copy is used.
 */
function extract(dir) {
  const archive = Buffer.from(sea.getAsset("app"));
  const headerLength = archive.readUInt32LE(0);
  const entries = JSON.parse(archive.subarray(4, 4 + headerLength).toString("utf8"));
  let tmp;
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
    tmp = fs.mkdtempSync(`${dir}.tmp-`);
  } catch (err) {
    throw new Error(
      `cannot write its files to ${path.dirname(dir)} (${err.code}): set XDG_CACHE_HOME to a writable directory`,
    );
  }
  let offset = 4 + headerLength;
  for (const [rel, mode, size] of entries) {
    const file = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, archive.subarray(offset, offset + size), { mode });
    offset += size;
  }
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(dir)) throw err;
  }
}

/**
 * unpacked tells whether this build's files are in `dir`. It refuses a directory that another user
 * owns or can write to (e.g. XDG_CACHE_HOME in a shared place): metalctl would run its code.
 */
function unpacked(dir) {
  let stat;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    // Not there (yet); extract says what is wrong with the place.
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return false;
    throw err;
  }
  if (process.getuid && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) {
    throw new Error(
      `${dir} is not a private directory of this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}); ` +
        "metalctl will not run code from it: remove it, and the next run writes it again",
    );
  }
  return true;
}

try {
  const dir = cacheDir();
  if (!unpacked(dir)) extract(dir);
  // Required from its file, bin/run.cjs may import() the ES-module bundle, which this entry, run from
  // V8's code cache, could not.
  createRequire(dir + path.sep)("./bin/run.cjs");
} catch (err) {
  fail(err);
}

/** fail ends the run with the reason on stderr. */
function fail(err) {
  process.stderr.write(`metalctl: ${err?.message ?? err}\n`);
  process.exit(1);
}
