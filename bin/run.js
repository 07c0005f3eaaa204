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
  // Importing oclif checks its own engines with semver, a module it needs nowhere else; bundled, that
  // check cannot find oclif's package.json and never warns, yet loading semver costs about 4% of a
  // start. The variable is oclif's switch for the check, set only while oclif loads.
  const skipEngineCheck = process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined;
  if (skipEngineCheck) process.env.OCLIF_DISABLE_ENGINE_WARNING = "1";
  const { run } = await import("../dist/src/cli/main.js");
  if (skipEngineCheck) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
  await run(import.meta.url);
}
