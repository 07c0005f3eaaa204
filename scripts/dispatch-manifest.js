#!/usr/bin/env node
// Writes dist/dispatch/<group>/: a package.json and an oclif.manifest.json that oclif loads to run a
// command of that group (the first word of its id: machine, admin, login…), and
// dist/dispatch/command-names.json, which maps every id and alias to its group (src/cli/main.ts). The
// full manifest carries every command's help texts, examples and flags, which only help and suggestions
// read; parsing it costs about a tenth of a start, and oclif's bookkeeping grows with every command it
// holds. These keep what finding and loading one group's commands needs, with paths pointing back to
// the package root.
// Writes dist/topics/ as well: the same with the summaries and descriptions of commands and topics but
// without flags and examples, for the root and topic help pages, which list commands and show no flags.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

const full = JSON.parse(fs.readFileSync(path.join(root, "oclif.manifest.json"), "utf8"));
// Help-only fields are dropped; everything else (ids, aliases, hidden, how to load the module) stays.
// Arguments keep their names: oclif reads where a command's name ends from whether it takes any.
const helpOnly = ["description", "examples", "flags", "summary", "usage", "completion"];
const upTo = (depth) => Array(depth).fill("..");
/** commandsWithout returns the commands `ids` without the given fields, paths `depth` levels below the root. */
const commandsWithout = (dropped, depth, ids = Object.keys(full.commands)) =>
  Object.fromEntries(
    ids.map((id) => [
      id,
      Object.fromEntries(
        Object.entries(full.commands[id])
          .filter(([k]) => !dropped.has(k))
          .map(([k, v]) => {
            if (k === "relativePath") return [k, [...upTo(depth), ...v]];
            if (k === "args") return [k, Object.fromEntries(Object.keys(v).map((name) => [name, { name }]))];
            return [k, v];
          }),
      ),
    ]),
  );

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const { topics, ...oclif } = pkg.oclif;

/** write puts a package.json and a manifest with `commands` into dist/<name>/, for oclif to load from there. */
function write(name, commands, topicsOf) {
  const depth = name.split("/").length + 1;
  const up = (p) => path.posix.join(...upTo(depth), p);
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
const topicNames = (t) => Object.fromEntries(Object.keys(t).map((name) => [name, {}]));
/** groupOf is the group a command runs from: the first word of its id. */
const groupOf = (id) => id.split(":")[0];
const runnable = Object.keys(full.commands).filter((id) => id !== "help");
fs.rmSync(path.join(root, "dist", "dispatch"), { recursive: true, force: true });
for (const group of new Set(runnable.map(groupOf))) {
  const ids = runnable.filter((id) => groupOf(id) === group);
  write(`dispatch/${group}`, commandsWithout(new Set(helpOnly), 3, ids), topicNames);
}
write("topics", commandsWithout(new Set(["examples", "flags", "completion"]), 2), (t) => t);
// The names a command can be called by, each with its group, for src/cli/main.ts to pick a manifest
// without parsing one; not `help`, which prints the help texts these leave out.
const names = runnable.flatMap((id) =>
  [id, ...(full.commands[id].aliases ?? [])].map((n) => [n.replaceAll(" ", ":"), groupOf(id)]),
);
fs.writeFileSync(
  path.join(root, "dist", "dispatch", "command-names.json"),
  `${JSON.stringify(Object.fromEntries(names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))}\n`,
);
