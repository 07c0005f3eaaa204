#!/usr/bin/env node
// Writes dist/dispatch/: a package.json and an oclif.manifest.json that oclif loads to run a command
// (src/cli/main.ts), and command-names.json, the ids and aliases it holds. The full manifest carries
// every command's help texts, examples and flags, which only help and suggestions read; parsing it
// costs about a tenth of a start. This one keeps what finding and loading a command needs, with paths
// pointing back to the package root two levels up.
// Writes dist/topics/ as well: the same with the summaries and descriptions of commands and topics but
// without flags and examples, for the root and topic help pages, which list commands and show no flags.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const up = (p) => path.posix.join("../..", p);

const full = JSON.parse(fs.readFileSync(path.join(root, "oclif.manifest.json"), "utf8"));
// Help-only fields are dropped; everything else (ids, aliases, hidden, how to load the module) stays.
// Arguments keep their names: oclif reads where a command's name ends from whether it takes any.
const helpOnly = ["description", "examples", "flags", "summary", "usage", "completion"];
const slim = (k, v) => {
  if (k === "relativePath") return ["..", "..", ...v];
  if (k === "args") return Object.fromEntries(Object.keys(v).map((name) => [name, { name }]));
  return v;
};
/** commandsWithout returns the manifest's commands without the given fields, paths relative to dist/<dir>. */
const commandsWithout = (dropped) =>
  Object.fromEntries(
    Object.entries(full.commands).map(([id, c]) => [
      id,
      Object.fromEntries(
        Object.entries(c)
          .filter(([k]) => !dropped.has(k))
          .map(([k, v]) => [k, slim(k, v)]),
      ),
    ]),
  );

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const { topics, ...oclif } = pkg.oclif;

/** write puts a package.json and a manifest with `commands` into dist/<name>/, for oclif to load from there. */
function write(name, commands, topicsOf) {
  const packageJson = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    type: pkg.type,
    oclif: {
      ...oclif,
      topics: topicsOf(topics ?? {}),
      commands: up(oclif.commands),
      helpClass: up(oclif.helpClass),
      hooks: Object.fromEntries(
        Object.entries(oclif.hooks ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(up) : up(v)]),
      ),
    },
  };
  const out = path.join(root, "dist", name);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(packageJson)}\n`);
  fs.writeFileSync(
    path.join(out, "oclif.manifest.json"),
    `${JSON.stringify({ version: full.version, commands })}\n`,
  );
}

// Topic descriptions are for help; the names keep topics known.
write("dispatch", commandsWithout(new Set(helpOnly)), (t) =>
  Object.fromEntries(Object.keys(t).map((name) => [name, {}])),
);
write("topics", commandsWithout(new Set(["examples", "flags", "completion"])), (t) => t);
// The names a command can be called by, for src/cli/main.ts to pick this manifest without parsing it;
// not `help`, which prints the help texts this manifest leaves out.
const names = Object.values(full.commands)
  .filter((c) => c.id !== "help")
  .flatMap((c) => [c.id, ...(c.aliases ?? [])].map((n) => n.replaceAll(" ", ":")));
fs.writeFileSync(
  path.join(root, "dist", "dispatch", "command-names.json"),
  `${JSON.stringify([...new Set(names)].sort())}\n`,
);
