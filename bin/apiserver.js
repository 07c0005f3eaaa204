#!/usr/bin/env node
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/src/server/main.js", import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (err) {
  // Before the first build there is no dist/: say how to build instead of printing a module trace.
  if (err?.code !== "ERR_MODULE_NOT_FOUND" || !String(err.message).includes(fileURLToPath(entry))) throw err;
  process.stderr.write("metal-apiserver is not built yet: run `npm run build` (or `npm start`) first.\n");
  process.exit(1);
}
await main(process.argv.slice(2));
