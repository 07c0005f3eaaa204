import { Args, Flags, type Interfaces } from "@oclif/core";
import { completeFrom, type Source } from "./completion/source.js";
import { outputFormats } from "./output/printer.js";
import type { Ref } from "./resources/resource.js";

/** outputFlags choose how a command prints its result; commands that print nothing leave them out. */
export const outputFlags = {
  output: Flags.string({
    char: "o",
    summary: "Output format.",
    options: [...outputFormats],
    helpGroup: "GLOBAL",
  }),
  template: Flags.string({
    summary: "Go-style template for -o template, e.g. '{{ .id }} {{ .name }}'.",
    helpGroup: "GLOBAL",
  }),
  "no-headers": Flags.boolean({ summary: "Omit table headers.", helpGroup: "GLOBAL" }),
  json: Flags.string({
    summary: "Print these JSON fields, comma separated (alone: list the fields).",
    helpGroup: "GLOBAL",
  }),
  jq: Flags.string({
    summary: "Filter the JSON output with a jq program, e.g. '.[].id'.",
    helpGroup: "GLOBAL",
  }),
  "sort-by": Flags.string({
    summary: "Sort by these columns, each optionally :asc or :desc, e.g. partition,size:desc.",
    helpGroup: "GLOBAL",
  }),
};

/** quietFlags are accepted by every metalctl command, also by those that print nothing on stdout. */
export const quietFlags = {
  color: Flags.boolean({
    summary: "Colour on a terminal (--no-color or NO_COLOR turn it off).",
    allowNo: true,
    default: true,
    helpGroup: "GLOBAL",
  }),
  context: Flags.string({
    summary: "Context to use instead of the current one.",
    helpGroup: "GLOBAL",
    ...completeFrom({ kind: "context", scope: "local" }),
  }),
  "api-url": Flags.string({ summary: "API server URL, overriding the context.", helpGroup: "GLOBAL" }),
  timeout: Flags.string({ summary: "Request timeout, e.g. 30s or 2m.", default: "30s", helpGroup: "GLOBAL" }),
  debug: Flags.boolean({
    summary: "Log requests (never secrets) and stack traces to stderr.",
    helpGroup: "GLOBAL",
  }),
};

/** globalFlags are the flags of every command that prints a result: the output flags and the quiet ones. */
export const globalFlags = { ...outputFlags, ...quietFlags };

/** projectFlag is added by project-scoped commands; it defaults to the context's project. */
export const projectFlag = {
  project: Flags.string({
    char: "p",
    summary: "Project id (default: the context's project).",
    ...completeFrom({ kind: "project", scope: "server" }),
  }),
};

/** yesFlag is added by destructive commands: it skips the confirmation and allows running without a TTY. */
export const yesFlag = {
  yes: Flags.boolean({ char: "y", summary: "Do not ask for confirmation (required without a terminal)." }),
};

/** fileFlag lets create/update read the request from a YAML or JSON file (proto JSON mapping). */
export const fileFlag = {
  file: Flags.string({
    char: "f",
    summary: "Read the resource from a YAML/JSON file (as printed by describe -o yaml); - for stdin.",
  }),
};

/** inviteFlags are the flags of `tenant invite` and `project invite`: the invitee's role and how long the secret works. */
export const inviteFlags = {
  role: Flags.string({
    summary: "Role of the invitee.",
    options: ["owner", "editor", "viewer"],
    default: "viewer",
  }),
  expires: Flags.string({ summary: "How long the invitation is valid, e.g. 7d.", default: "7d" }),
};

/** RefArgSource is a resource whose items a positional argument names. */
type RefArgSource = { ref: Pick<Ref<never>, "description" | keyof Source> };

/**
 * refArg is the positional argument that names one item of a resource, with the resource's help
 * text and completion; it is required unless `optional` is set.
 */
export function refArg(resource: RefArgSource, opts?: { description?: string }): Interfaces.Arg<string>;
export function refArg(
  resource: RefArgSource,
  opts: { description?: string; optional: true },
): Interfaces.Arg<string | undefined>;
export function refArg(
  resource: RefArgSource,
  opts: { description?: string; optional?: boolean } = {},
): Interfaces.Arg<string> | Interfaces.Arg<string | undefined> {
  return Args.string({
    description: opts.description ?? resource.ref.description,
    required: !opts.optional,
    ...completeFrom(resource.ref),
  });
}
