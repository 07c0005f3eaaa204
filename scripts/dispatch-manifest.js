#!/usr/bin/env node
// Writes dist/dispatch/: a package.json and an oclif.manifest.json that oclif loads to run a command
// (src/cli/main.ts), and command-names.json, the ids and aliases it holds. The full manifest carries every command's help texts, examples and flags, which
// only help and suggestions read; parsing it costs about a tenth of a start. This one keeps what finding
// and loading a command needs, with paths pointing back to the package root two levels up.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dir = path.join(root, "dist", "dispatch");
const up = (p) => path.posix.join("../..", p);

const full = JSON.parse(fs.readFileSync(path.join(root, "oclif.manifest.json"), "utf8"));
// Help-only fields are dropped; everything else (ids, aliases, hidden, how to load the module) stays.
// Arguments keep their names: oclif reads where a command's name ends from whether it takes any.
const helpOnly = new Set(["description", "examples", "flags", "summary", "usage", "completion"]);
const slim = (k, v) => {
  if (k === "relativePath") return ["..", "..", ...v];
  if (k === "args") return Object.fromEntries(Object.keys(v).map((name) => [name, { name }]));
  return v;
};
const commands = Object.fromEntries(
  Object.entries(full.commands).map(([id, c]) => [
    id,
    Object.fromEntries(
      Object.entries(c)
        .filter(([k]) => !helpOnly.has(k))
        .map(([k, v]) => [k, slim(k, v)]),
    ),
  ]),
);

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const { topics, ...oclif } = pkg.oclif;
const dispatchPkg = {
  name: pkg.name,
  version: pkg.version,
  type: pkg.type,
  oclif: {
    ...oclif,
    // Topic descriptions are for help, which runs from the package root; the names keep topics known.
    topics: Object.fromEntries(Object.keys(topics ?? {}).map((t) => [t, {}])),
    commands: up(oclif.commands),
    helpClass: up(oclif.helpClass),
    hooks: Object.fromEntries(
      Object.entries(oclif.hooks ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(up) : up(v)]),
    ),
  },
};

fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(dispatchPkg)}\n`);
fs.writeFileSync(
  path.join(dir, "oclif.manifest.json"),
  `${JSON.stringify({ version: full.version, commands })}\n`,
);
// The names a command can be called by, for src/cli/main.ts to pick this manifest without parsing it;
// not `help`, which prints the help texts this manifest leaves out.
const names = Object.values(full.commands)
  .filter((c) => c.id !== "help")
  .flatMap((c) => [c.id, ...(c.aliases ?? [])].map((n) => n.replaceAll(" ", ":")));
fs.writeFileSync(path.join(dir, "command-names.json"), `${JSON.stringify([...new Set(names)].sort())}\n`);
