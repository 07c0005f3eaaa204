// Stages metalctl as a package of its own, without the API server: the built files the CLI loads
// (found by following the bundle's relative imports from bin/run.cjs and oclif's entry points), a
// package.json whose dependencies are only the bundle's externals, and an npm-shrinkwrap.json with the
// exact versions, tarball URLs and integrity hashes of package-lock.json, so every install of the
// package gets the packages this repository was tested with. Used by pack-cli.js and build-sea.js.
import fs from "node:fs";
import { isBuiltin } from "node:module";
import path from "node:path";

/** ROOT is the repository root. */
export const ROOT = path.resolve(import.meta.dirname, "..");

const readJson = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

// A relative path in quotes ending in a file type the CLI loads: imports, re-exports, `new URL(…)`.
const RELATIVE = /["'](\.\.?\/[^"'\s]+\.(?:js|mjs|cjs|json|wasm))["']/g;
// A bare module specifier in an import, export … from, dynamic import or require.
const BARE =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(["'])(@?[\w][\w.:-]*(?:\/[\w.-]+)*)\1/g;

/** packageName is the npm package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * cliFiles follows relative references from the CLI's entry points through the built files and
 * returns them (repository-relative) with the bare packages they import.
 */
function cliFiles(pkg) {
  const entries = [
    pkg.bin.metalctl,
    "oclif.manifest.json",
    // What src/cli/main.ts runs a command and shows the root and topic help from (scripts/dispatch-manifest.js).
    ...["dist/dispatch", "dist/topics"].flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir), { recursive: true })
        .filter((f) => f.toString().endsWith(".json"))
        .map((f) => path.join(dir, f.toString())),
    ),
    pkg.oclif.helpClass,
    ...Object.values(pkg.oclif.hooks ?? {}).flat(),
  ];
  const commandsDir = path.join(ROOT, pkg.oclif.commands);
  for (const f of fs.readdirSync(commandsDir, { recursive: true })) {
    if (f.toString().endsWith(".js")) entries.push(path.join(pkg.oclif.commands, f.toString()));
  }
  const files = new Set();
  const packages = new Set();
  const queue = entries.map((e) => path.resolve(ROOT, e));
  while (queue.length > 0) {
    const file = queue.pop();
    const rel = path.relative(ROOT, file);
    if (files.has(rel)) continue;
    if (rel.startsWith("..") || !fs.existsSync(file)) {
      throw new Error(`${rel} is missing: run \`npm run build\` first`);
    }
    files.add(rel);
    if (!/\.[cm]?js$/.test(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    for (const [, ref] of text.matchAll(RELATIVE)) {
      const target = path.resolve(path.dirname(file), ref);
      // Bundled libraries mention paths of their own source tree; only what the build wrote counts.
      if (fs.existsSync(target) && !path.relative(ROOT, target).startsWith("..")) queue.push(target);
    }
    for (const [, , spec] of text.matchAll(BARE)) {
      if (!isBuiltin(spec)) packages.add(packageName(spec));
    }
  }
  return { files: [...files].sort(), packages };
}

/**
 * dependenciesOf splits the bundle's bare imports into the package's dependencies (exact versions
 * from package.json) and development-only ones it leaves out (oclif asks for typescript only to run
 * a development tree, and copes with its absence).
 */
function dependenciesOf(pkg, packages) {
  const dependencies = {};
  for (const name of [...packages].sort()) {
    if (pkg.dependencies?.[name]) dependencies[name] = pkg.dependencies[name];
    else if (!pkg.devDependencies?.[name]) {
      throw new Error(
        `the CLI bundle imports ${name}, which package.json does not list: add it to dependencies`,
      );
    }
  }
  return dependencies;
}

/**
 * shrinkwrap takes from package-lock.json the entries the dependencies need, at the same paths
 * (npm's nesting stays valid from the same root), marking those reached only through optional
 * dependencies (the keyring's per-platform builds) as optional.
 */
function shrinkwrap(rootEntry, dependencies) {
  const lock = readJson("package-lock.json");
  const locate = (from, name) => {
    for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf("/node_modules/")))) {
      const at = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (lock.packages[at]) return at;
      if (!dir) return undefined;
    }
  };
  const required = new Set();
  const optional = new Set();
  const visit = (at, isOptional) => {
    if (required.has(at) || (isOptional && optional.has(at))) return;
    (isOptional ? optional : required).add(at);
    const entry = lock.packages[at];
    if (entry.hasInstallScript)
      throw new Error(`${at} has an install script; the CLI package must not need one`);
    for (const [deps, opt] of [
      [entry.dependencies, isOptional],
      [entry.peerDependencies, isOptional],
      [entry.optionalDependencies, true],
    ]) {
      for (const name of Object.keys(deps ?? {})) {
        const found = locate(at, name);
        if (found) visit(found, opt);
        else if (!opt && !entry.peerDependenciesMeta?.[name]?.optional) {
          throw new Error(`package-lock.json has no entry for ${name}, needed by ${at}: run \`npm install\``);
        }
      }
    }
  };
  for (const name of Object.keys(dependencies)) {
    const at = locate("", name);
    if (!at) throw new Error(`package-lock.json has no entry for ${name}: run \`npm install\``);
    visit(at, false);
  }
  const packages = { "": rootEntry };
  for (const at of [...new Set([...required, ...optional])].sort()) {
    // How the root project needed a package does not apply here; only "optional" is recomputed.
    const entry = { ...lock.packages[at] };
    for (const flag of ["dev", "devOptional", "peer", "optional"]) delete entry[flag];
    packages[at] = required.has(at) ? entry : { ...entry, optional: true };
  }
  return { name: rootEntry.name, version: rootEntry.version, lockfileVersion: 3, requires: true, packages };
}

/**
 * stageCliPackage writes the metalctl package into `dir` (which must not exist) and returns the
 * package-lock paths of its dependencies (`node_modules/…`), so a caller can copy them.
 */
export function stageCliPackage(dir) {
  const pkg = readJson("package.json");
  const { files, packages } = cliFiles(pkg);
  const dependencies = dependenciesOf(pkg, packages);
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    description: "Command-line client of the metal-stack API (metalctl)",
    type: "module",
    license: pkg.license,
    engines: pkg.engines,
    bin: { metalctl: pkg.bin.metalctl },
    oclif: pkg.oclif,
    dependencies,
  };
  const lock = shrinkwrap(
    {
      name: manifest.name,
      version: manifest.version,
      license: manifest.license,
      bin: manifest.bin,
      engines: manifest.engines,
      dependencies,
    },
    dependencies,
  );
  fs.mkdirSync(dir, { recursive: false });
  for (const rel of files) {
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, rel), path.join(dir, rel));
  }
  fs.chmodSync(path.join(dir, pkg.bin.metalctl), 0o755);
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, "npm-shrinkwrap.json"), `${JSON.stringify(lock, null, 2)}\n`);
  return Object.keys(lock.packages).filter((at) => at !== "");
}
