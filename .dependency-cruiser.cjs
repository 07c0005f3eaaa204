/**
 * Import boundaries of the product code (AGENTS.md, "Import directions"), checked by
 * `npm run lint` (part of `npm test`): commands/ → src/cli, src/gen; src/cli never imports
 * src/server or src/idp; src/server → src/idp, src/gen, src/shared; src/idp → src/shared only;
 * src/shared → src/gen at most; nothing imports commands/; and no import cycles anywhere.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment:
        "Modules form no import cycle: split the part both sides need into its own module. Type-only imports are " +
        "erased at compile time and do not count: the app context type names the types of its parts, whose " +
        "modules take the context.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "nothing-imports-commands",
      comment: "commands/ are entry points that oclif loads; shared code belongs in src/cli.",
      severity: "error",
      from: { pathNot: "^commands/" },
      to: { path: "^commands/" },
    },
    {
      name: "commands-use-cli-and-gen",
      comment: "A command file imports only src/cli and src/gen (and other commands' siblings never).",
      severity: "error",
      from: { path: "^commands/" },
      to: { path: "^src/", pathNot: "^src/(cli|gen)/" },
    },
    {
      name: "cli-stays-client-side",
      comment: "The CLI must ship alone: src/cli never imports the server or the identity provider.",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/(server|idp)/" },
    },
    {
      name: "server-uses-idp-gen-shared",
      comment: "The server imports only src/idp, src/gen and src/shared besides itself.",
      severity: "error",
      from: { path: "^src/server/" },
      to: { path: "^(src/|commands/)", pathNot: "^src/(server|idp|gen|shared)/" },
    },
    {
      name: "idp-uses-shared-only",
      comment: "The identity provider stays replaceable: it imports only src/shared besides itself.",
      severity: "error",
      from: { path: "^src/idp/" },
      to: { path: "^(src/|commands/)", pathNot: "^src/(idp|shared)/" },
    },
    {
      name: "shared-uses-gen-only",
      comment: "Code used by several parts imports only src/shared and src/gen.",
      severity: "error",
      from: { path: "^src/shared/" },
      to: { path: "^(src/|commands/)", pathNot: "^src/(shared|gen)/" },
    },
    {
      name: "gen-is-self-contained",
      comment: "Generated code imports nothing of ours.",
      severity: "error",
      from: { path: "^src/gen/" },
      to: { path: "^(src/|commands/)", pathNot: "^src/gen/" },
    },
    {
      name: "imports-resolve",
      comment: "Every relative import names a module that exists.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
