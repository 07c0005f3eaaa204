#!/usr/bin/env node
// Runs every bench/*.ts in turn with `node --import tsx` and prints their figures as they come.
// `npm run bench -- NAME...` runs only the benchmarks whose file name contains one of the NAMEs.
// Exits non-zero when a benchmark fails, after running the others.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

if (files.length === 0) {
  console.error(
    filters.length ? `no benchmark in bench/ matches ${filters.join(", ")}` : "no benchmarks in bench/",
  );
  process.exit(1);
}

function run(file) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(benchDir, file)], {
      cwd: root,
      stdio: "inherit",
    });
    child.once("error", (err) => resolve({ file, ok: false, detail: err.message, started }));
    child.once("close", (code, signal) =>
      resolve({ file, ok: code === 0, detail: signal ? `killed by ${signal}` : `exit ${code}`, started }),
    );
  });
}

const results = [];
for (const file of files) {
  console.log(`\n=== bench/${file} ===`);
  const r = await run(file);
  const seconds = Number(process.hrtime.bigint() - r.started) / 1e9;
  results.push({ ...r, seconds });
}

console.log("\n=== summary ===");
for (const r of results) {
  console.log(
    `${r.ok ? "ok  " : "FAIL"} bench/${r.file} (${r.seconds.toFixed(1)} s${r.ok ? "" : `, ${r.detail}`})`,
  );
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
