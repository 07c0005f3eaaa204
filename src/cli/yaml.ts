import { createRequire } from "node:module";

type Yaml = typeof import("yaml");

// A call of a local `require` is an ordinary call to esbuild: the bundle keeps it, and
// scripts/bundle-cli.js points it at the one vendored copy, dist/src/cli/vendor/yaml.cjs.
const requireHere = createRequire(import.meta.url);
let loaded: Yaml | undefined;

/**
 * yaml returns the yaml package, loaded on first use: loading it costs about a tenth of a start, and
 * most commands neither print YAML nor parse config.yaml (its mirror answers, see config/mirror.ts).
 */
export function yaml(): Yaml {
  loaded ??= requireHere("yaml") as Yaml;
  return loaded;
}
