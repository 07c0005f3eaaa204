import { Flags } from "@oclif/core";
import { outputFormats } from "./output/printer.js";

/** globalFlags are accepted by every metalctl command. */
export const globalFlags = {
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
  "sort-by": Flags.string({
    summary: "Sort by these columns, each optionally :asc or :desc, e.g. partition,size:desc.",
    helpGroup: "GLOBAL",
  }),
  color: Flags.boolean({
    summary: "Colour on a terminal (--no-color or NO_COLOR turn it off).",
    allowNo: true,
    default: true,
    helpGroup: "GLOBAL",
  }),
  context: Flags.string({ summary: "Context to use instead of the current one.", helpGroup: "GLOBAL" }),
  "api-url": Flags.string({ summary: "API server URL, overriding the context.", helpGroup: "GLOBAL" }),
  timeout: Flags.string({ summary: "Request timeout, e.g. 30s or 2m.", default: "30s", helpGroup: "GLOBAL" }),
  debug: Flags.boolean({
    summary: "Log requests (never secrets) and stack traces to stderr.",
    helpGroup: "GLOBAL",
  }),
};

/** projectFlag is added by project-scoped commands; it defaults to the context's project. */
export const projectFlag = {
  project: Flags.string({ char: "p", summary: "Project id (default: the context's project)." }),
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
