// esbuild plugins of scripts/bundle-cli.js that change other projects' code on its way into the CLI
// bundle, each to keep a start from loading what it does not use. Every change names the exact text it
// replaces and fails the build when that text is gone, so an upgrade never silently undoes one.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

// oclif loads some packages when it starts that only a rare path calls: ejs (help examples, S3 URLs),
// minimatch (plugin lists), tinyglobby (finding commands without a manifest), cli-spinners (spinners),
// is-wsl (which reads /proc when loaded; update URLs), and the text layout of help and error messages
// (wrap-ansi, string-width, widest-line, indent-string, clean-stack).
// Each such require becomes a proxy that loads the package on first use, so a start skips running them.
// A changed oclif source fails the build here rather than silently loading them again.
const lazyRequires = {
  // The color theme and its terminal color detection (supports-color): only help, errors and
  // spinners color anything.
  "ux/index.js": ['const theme_1 = require("./theme");', 'var theme_2 = require("./theme");'],
  "ux/colorize-json.js": ['const theme_1 = require("./theme");'],
  "parser/errors.js": ['const theme_1 = require("../ux/theme");'],
  "logger.js": ['const debug_1 = __importDefault(require("debug"));'],
  // Help itself: only help pages and errors that show usage render it.
  "index.js": ['var help_1 = require("./help");'],
  "main.js": ['const help_1 = require("./help");'],
  "flags.js": ['const help_1 = require("./help");'],
  "config/plugin-loader.js": ['const minimatch_1 = require("minimatch");'],
  "config/plugin.js": ['const tinyglobby_1 = require("tinyglobby");'],
  "config/config.js": [
    'const theme_1 = require("../ux/theme");',
    'const ejs = __importStar(require("ejs"));',
    'const is_wsl_1 = __importDefault(require("is-wsl"));',
  ],
  "help/util.js": ['const ejs = __importStar(require("ejs"));'],
  "help/formatter.js": [
    'const indent_string_1 = __importDefault(require("indent-string"));',
    'const string_width_1 = __importDefault(require("string-width"));',
    'const widest_line_1 = __importDefault(require("widest-line"));',
    'const wrap_ansi_1 = __importDefault(require("wrap-ansi"));',
  ],
  "ux/action/spinner.js": [
    'const cli_spinners_1 = __importDefault(require("cli-spinners"));',
    'const theme_1 = require("../theme");',
  ],
  "errors/handle.js": [
    'const clean_stack_1 = __importDefault(require("clean-stack"));',
    'const index_1 = require("../help/index");',
  ],
  "errors/errors/cli.js": [
    'const theme_1 = require("../../ux/theme");',
    'const clean_stack_1 = __importDefault(require("clean-stack"));',
    'const indent_string_1 = __importDefault(require("indent-string"));',
    'const wrap_ansi_1 = __importDefault(require("wrap-ansi"));',
  ],
  "errors/errors/pretty-print.js": [
    'const indent_string_1 = __importDefault(require("indent-string"));',
    'const wrap_ansi_1 = __importDefault(require("wrap-ansi"));',
  ],
};
/** oclifLib is where oclif's CommonJS sources are, which the plugin changes on their way into the bundle. */
export const oclifLib = path.join(root, "node_modules/@oclif/core/lib");
// Those packages (and semver, for oclif's engine check that bin/run.cjs skips) are bundled each into its
// own file under dist/src/cli/vendor: left in oclif's chunk, V8 would still scan their ~240 KB on every start.
/** vendored are the packages bundled each into dist/src/cli/vendor and required from there on first use. */
export const vendored = [
  ...["semver", "minimatch", "tinyglobby", "cli-spinners", "ejs", "is-wsl"],
  ...["wrap-ansi", "string-width", "widest-line", "indent-string", "clean-stack"],
];
// Changes to oclif's own code, each failing the build when oclif's text changes. Sorting the commands
// with localeCompare made every start pay for ICU's collator (about 6 ms of a 100 ms start); command
// ids are ASCII, where comparing code units gives the same order (test/cli/dispatch.test.ts holds that
// for the manifest's ids).
const oclifPatches = {
  // ux's colorize, bound when ux loads, reads the lazy theme (lazyRequires) only when called.
  "ux/index.js": [
    ["    colorize: theme_1.colorize,", "    colorize: (...args) => theme_1.colorize(...args),"],
  ],
  // Debug output appears only with DEBUG set (the debug package reads it once, when loaded): without
  // it, oclif's loggers need not load debug, supports-color and tty handling to stay silent.
  "logger.js": [
    [
      "    const debug = (0, debug_1.default)(namespace);",
      "    const debug = process.env.DEBUG ? (0, debug_1.default)(namespace) : () => {};",
    ],
  ],
  // Every run asks help's util for two functions; the lazy help module (lazyRequires) stays unloaded.
  "main.js": [
    ["(0, help_1.getHelpFlagAdditions)(config)", '(0, require("./help/util").getHelpFlagAdditions)(config)'],
    ["(0, help_1.normalizeArgv)(config, argv)", '(0, require("./help/util").normalizeArgv)(config, argv)'],
  ],
  // Help renders every description and example through ejs, compiling each one, yet only a few hold a
  // tag; a text without "<%" renders as itself.
  "help/util.js": [
    [
      "        return ejs.render(t, context);",
      '        return typeof t === "string" && !t.includes("<%") ? t : ejs.render(t, context);',
    ],
  ],
  "config/plugin.js": [
    [
      ".sort((a, b) => a.id.localeCompare(b.id));",
      ".sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));",
    ],
  ],
};
/** lazyOclifRequires applies lazyRequires and oclifPatches and points oclif at the vendored packages. */
export const lazyOclifRequires = {
  name: "lazy-oclif-requires",
  setup(b) {
    // oclif's chunk sits in dist/src/cli/chunks, which its require (banner) resolves from.
    b.onResolve({ filter: new RegExp(`^(${vendored.join("|")})$`) }, ({ path: name, importer }) =>
      importer.startsWith(oclifLib) ? { path: `../vendor/${name}.cjs`, external: true } : undefined,
    );
    b.onLoad({ filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/ }, ({ path: file }) => {
      const rel = path.relative(oclifLib, file).split(path.sep).join("/");
      const statements = lazyRequires[rel] ?? [];
      const patches = oclifPatches[rel] ?? [];
      if (!statements.length && !patches.length) return undefined;
      let text = fs.readFileSync(file, "utf8");
      for (const [from, to] of patches) {
        if (!text.includes(from)) throw new Error(`${file} no longer has: ${from}`);
        text = text.replace(from, to);
      }
      for (const statement of statements) {
        if (!text.includes(statement)) throw new Error(`${file} no longer has: ${statement}`);
        const [, kind, name, expr] = /^(const|var) (\w+) = (.*);$/.exec(statement);
        text = text.replace(statement, `${kind} ${name} = __metalctlLazy(() => ${expr});`);
      }
      text +=
        "\nfunction __metalctlLazy(load) { let m; return new Proxy({}, { get: (_, k) => (m ??= load())[k] }); }\n";
      return { contents: text, loader: "js" };
    });
  },
};

// On Node 22+, an ES-module import of node:http reads every export of the module, and its WebSocket,
// MessageEvent and CloseEvent getters load all of undici; require() reads none of them. So Connect's
// imports of Node's HTTP modules become requires. http2, which only the serial console's bidi stream
// uses, loads on first use: its module object gets a getter per export that requires the module then.
const lazyBuiltins = { http2: Object.keys(await import("node:http2")) };
/** httpBuiltinsAsRequire turns ES-module imports of node:http, https and http2 into requires. */
export const httpBuiltinsAsRequire = {
  name: "http-builtins-as-require",
  setup(b) {
    b.onResolve({ filter: /^(node:)?(http|https|http2)$/ }, ({ path: name, kind }) =>
      kind === "import-statement"
        ? { path: name.replace(/^node:/, ""), namespace: "builtin-require" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "builtin-require" }, ({ path: name }) => {
      const keys = lazyBuiltins[name];
      if (!keys) return { contents: `module.exports = require("node:${name}");`, loader: "js" };
      const getters = keys
        .filter((k) => k !== "default")
        .map((k) => `get ${JSON.stringify(k)}() { return load()[${JSON.stringify(k)}]; }`);
      return {
        contents: `let m; const load = () => (m ??= require("node:${name}"));\nmodule.exports = { ${getters.join(", ")} };`,
        loader: "js",
      };
    });
  },
};
