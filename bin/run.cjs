#!/usr/bin/env node
// metalctl's entry. It is CommonJS: on Node 20 an ES-module entry alone costs about a fifth of `node -e 0`,
// which a TAB answered from the cache would pay on every keystroke.
"use strict";
const path = require("node:path");
const { enableCompileCache } = require("node:module");
const { pathToFileURL } = require("node:url");

// V8 keeps the compiled bundle between runs where Node can (22.1+); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
enableCompileCache?.();
if (process.argv[2] === "__complete") {
  // Shell completion answers from the completion index and a cache without loading oclif or any command
  // (dist/src/cli/completion/main.cjs is one file; the API and config code load only on a cache miss).
  const { runCompletion } = require("../dist/src/cli/completion/main.cjs");
  const index = path.join(__dirname, "../dist/completion-index.json");
  void runCompletion(process.argv.slice(3), index, process.env, undefined, true);
} else {
  // Importing oclif checks its own engines with semver, a module it needs nowhere else; bundled, that
  // check cannot find oclif's package.json and never warns, yet loading semver costs about 4% of a
  // start. The variable is oclif's switch for the check, set only while oclif loads.
  const skipEngineCheck = process.env.OCLIF_DISABLE_ENGINE_WARNING === undefined;
  if (skipEngineCheck) process.env.OCLIF_DISABLE_ENGINE_WARNING = "1";
  void import("../dist/src/cli/main.js").then(({ run }) => {
    if (skipEngineCheck) delete process.env.OCLIF_DISABLE_ENGINE_WARNING;
    return run(pathToFileURL(__filename).href);
  });
}
