#!/usr/bin/env node
import module from "node:module";

// V8 keeps the compiled bundle between runs where Node can (22.1+); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();
if (process.argv[2] === "__complete") {
  // Shell completion answers from the completion index and a cache without loading oclif or any command
  // (dist/src/cli/completion/main.js is one file; the API and config code load only on a cache miss).
  const { runCompletion } = await import("../dist/src/cli/completion/main.js");
  const index = new URL("../dist/completion-index.json", import.meta.url);
  await runCompletion(process.argv.slice(3), index, process.env, undefined, true);
} else {
  const { run } = await import("../dist/src/cli/main.js");
  await run(import.meta.url);
}
