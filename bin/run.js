#!/usr/bin/env node
import module from "node:module";

// V8 keeps the compiled bundle between runs where Node can (22.1+); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.();
if (process.argv[2] === "__complete") {
  // Shell completion answers from the completion index and a cache without loading oclif or any command.
  const { runCompletion } = await import("../dist/src/cli/completion/main.js");
  await runCompletion(process.argv.slice(3), new URL("../dist/completion-index.json", import.meta.url));
} else {
  const { run } = await import("../dist/src/cli/main.js");
  await run(import.meta.url);
}
