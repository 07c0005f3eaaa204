#!/usr/bin/env node
if (process.argv[2] === "__complete") {
  // Shell completion answers from the manifest and a cache without loading oclif or any command.
  const { runCompletion } = await import("../dist/src/cli/completion/main.js");
  await runCompletion(process.argv.slice(3), new URL("../oclif.manifest.json", import.meta.url));
} else {
  const { execute } = await import("@oclif/core");
  await execute({ dir: import.meta.url });
}
