#!/usr/bin/env node
// Bundles metalctl from the TypeScript sources into dist/ with esbuild: one small module per oclif
// command (dist/commands/…, where the manifest points), the help class and hooks, src/cli/main.js
// (oclif itself), and shared chunks under dist/src/cli/chunks; then the completion entry as one file. A
// command loads a handful of files instead of hundreds: oclif and protobuf sit in chunks, each generated
// file in its own, and modules behind a dynamic import (prompts, a resource's completion) in theirs.
// Native or file-relative packages stay in node_modules.
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { httpBuiltinsAsRequire, lazyOclifRequires, oclifLib, vendored } from "./bundle-plugins.js";

const root = path.resolve(import.meta.dirname, "..");
const commands = fs
  .readdirSync(path.join(root, "commands"), { recursive: true })
  .map((f) => path.join("commands", f.toString()))
  .filter((f) => f.endsWith(".ts"));
// The modules oclif loads by path from package.json (help class, hooks), as their sources.
const { oclif } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const byPath = [oclif.helpClass, ...Object.values(oclif.hooks ?? {}).flat()].map((p) =>
  p.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"),
);

// What a TAB loads only on a cache miss: entry points with fixed names the completion file imports.
const completionLazy = ["src/cli/completion/fetch.ts", "src/cli/config/store.ts", "src/cli/config/target.ts"];

const shared = {
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  // V8 scans every byte of a module it loads (Node 20 keeps no compile cache): dropping whitespace and
  // shortening syntax saves about 3% of a start. Names stay, so stack traces and class names still read.
  minifyWhitespace: true,
  minifySyntax: true,
};

// The packages oclif uses rarely (scripts/bundle-plugins.js) and yaml, each in a file of its own under
// dist/src/cli/vendor, required on first use. src/cli/yaml.ts loads yaml, which most commands never do:
// config.yaml's parsed mirror answers, and only `-o yaml`, edit and apply print or read YAML.
for (const name of [...vendored, "yaml"]) {
  await build({
    ...shared,
    stdin: {
      contents: `module.exports = require(${JSON.stringify(name)});`,
      resolveDir: oclifLib,
      loader: "js",
    },
    format: "cjs",
    outfile: `dist/src/cli/vendor/${name}.cjs`,
  });
}
// src/cli/yaml.ts requires yaml through a require of its own, which esbuild leaves alone; in the bundle
// it names the vendored file, relative to the shared chunk the module lands in (checked below).
const yamlLoader = path.join(root, "src/cli/yaml.ts");
const YAML_CALL = 'requireHere("yaml")';
const vendoredYaml = {
  name: "vendored-yaml",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]cli[\\/]yaml\.ts$/ }, () => {
      const text = fs.readFileSync(yamlLoader, "utf8");
      if (!text.includes(YAML_CALL)) throw new Error(`${yamlLoader} no longer has: ${YAML_CALL}`);
      return { contents: text.replace(YAML_CALL, 'requireHere("../vendor/yaml.cjs")'), loader: "ts" };
    });
  },
};

await build({
  ...shared,
  plugins: [lazyOclifRequires, vendoredYaml, httpBuiltinsAsRequire],
  // Every reference to the global Headers (Connect's) names the CLI's own class instead: Node's loads
  // all of undici on first use (src/cli/api/light-headers.ts).
  inject: ["src/cli/api/light-headers.ts"],
  entryPoints: [
    ...commands,
    ...byPath,
    "src/cli/main.ts",
    "src/cli/completion/compact-manifest.ts",
    ...completionLazy,
  ],
  outdir: "dist",
  outbase: ".",
  chunkNames: "src/cli/chunks/[name]-[hash]",
  splitting: true,
  // keyring is a native addon, jq-wasm and open load files next to their code; oclif requires
  // typescript only to run a development tree.
  external: ["@napi-rs/keyring", "jq-wasm", "open", "typescript"],
  // oclif and its dependencies are CommonJS and require Node's modules.
  banner: {
    js: 'import { createRequire as __metalctlRequire } from "node:module"; const require = __metalctlRequire(import.meta.url);',
  },
});

// A TAB answered from the cache reads one module: the completion entry with its planning and cache
// code inside, the modules of completionLazy left as imports of the files written above.
const lazy = new Set(completionLazy.map((f) => path.join(root, f)));
// It is CommonJS, like bin/run.cjs, so a TAB never starts Node's ES-module loader on a cache hit.
await build({
  ...shared,
  entryPoints: ["src/cli/completion/main.ts"],
  format: "cjs",
  outfile: "dist/src/cli/completion/main.cjs",
  plugins: [
    {
      name: "completion-lazy",
      setup(b) {
        b.onResolve({ filter: /^\./ }, ({ path: p, resolveDir, kind }) => {
          const source = path.join(resolveDir, p).replace(/\.js$/, ".ts");
          if (kind !== "dynamic-import" || !lazy.has(source)) return undefined;
          return { path: p, external: true };
        });
      },
    },
  ],
});

const chunks = path.join(root, "dist/src/cli/chunks");
for (const file of fs.readdirSync(path.join(root, "dist"), { recursive: true })) {
  const full = path.join(root, "dist", file.toString());
  if (!full.endsWith(".js") || path.dirname(full) === chunks) continue;
  if (fs.readFileSync(full, "utf8").includes("../vendor/yaml.cjs")) {
    throw new Error(`${full} requires ../vendor/yaml.cjs, which resolves only from ${chunks}`);
  }
}
