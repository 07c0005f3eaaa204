import path from "node:path";
import { CliError, usageError } from "../errors.js";
import { type OutputFormat, outputFormats } from "../output/printer.js";
import { yaml } from "../yaml.js";
import { configFile } from "./dir.js";
import { readParsed, writeMirror } from "./mirror.js";
import { writeFileAtomic } from "./write-atomic.js";

/** CredentialStorage says where a context's tokens live. */
export type CredentialStorage = "keychain" | "file";

/** ContextConfig is one named API endpoint with its defaults; it never holds secrets. */
export interface ContextConfig {
  name: string;
  apiUrl: string;
  defaultProject?: string;
  output?: OutputFormat;
  /** Where the login stored the tokens (chosen by the keychain probe or --insecure-storage). */
  credentialStorage?: CredentialStorage;
}

/** CliConfig is the content of `config.yaml`. */
export interface CliConfig {
  current?: string;
  previous?: string;
  contexts: ContextConfig[];
}

export { configDir } from "./dir.js";

/** ConfigStore reads and writes `config.yaml` atomically. */
export interface ConfigStore {
  path: string;
  load(): CliConfig;
  save(config: CliConfig): void;
}

/**
 * createConfigStore returns the store for `config.yaml` in `dir`. With `cacheDir`, what the file
 * parses to is mirrored there as JSON (config.json), so a command whose config.yaml is unchanged
 * since the last run loads no YAML parser.
 */
export function createConfigStore(dir: string, cacheDir?: string): ConfigStore {
  const file = configFile(dir);
  const mirror = cacheDir ? path.join(cacheDir, "config.json") : undefined;
  return {
    path: file,
    load() {
      const raw = readParsed(file, (text) => parseYaml(text, file), mirror);
      return raw === undefined ? { contexts: [] } : validate(raw, file);
    },
    save(config) {
      const content = clean(config);
      const text = yaml().stringify(content);
      writeFileAtomic(file, text, 0o644);
      if (mirror) writeMirror(mirror, text, content);
    },
  };
}

function parseYaml(text: string, file: string): unknown {
  try {
    return yaml().parse(text) ?? {};
  } catch (err) {
    throw new CliError(
      `${file} is not valid YAML: ${(err as Error).message.split("\n")[0]}`,
      1,
      "fix or remove the file",
    );
  }
}

function validate(raw: unknown, file: string): CliConfig {
  const bad = (what: string) =>
    new CliError(`${file}: ${what}`, 1, "fix the file or recreate it with `metalctl context add`");
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw bad("expected a mapping at the top");
  const r = raw as Record<string, unknown>;
  const contexts = r.contexts ?? [];
  if (!Array.isArray(contexts)) throw bad("contexts must be a list");
  const out: CliConfig = { contexts: [] };
  if (typeof r.current === "string") out.current = r.current;
  if (typeof r.previous === "string") out.previous = r.previous;
  for (const c of contexts) {
    if (typeof c?.name !== "string" || typeof c?.apiUrl !== "string") {
      throw bad("every context needs a name and an apiUrl");
    }
    const ctx: ContextConfig = { name: c.name, apiUrl: c.apiUrl };
    if (typeof c.defaultProject === "string") ctx.defaultProject = c.defaultProject;
    if (outputFormats.includes(c.output)) ctx.output = c.output;
    if (c.credentialStorage === "keychain" || c.credentialStorage === "file")
      ctx.credentialStorage = c.credentialStorage;
    out.contexts.push(ctx);
  }
  return out;
}

/** clean drops undefined fields and puts current/previous first, so the file reads well. */
function clean(config: CliConfig): CliConfig {
  return JSON.parse(
    JSON.stringify({ current: config.current, previous: config.previous, contexts: config.contexts }),
  );
}

/** findContext returns the named context or a usage error listing the known ones. */
export function findContext(config: CliConfig, name: string): ContextConfig {
  const ctx = config.contexts.find((c) => c.name === name);
  if (!ctx) {
    const known = config.contexts.map((c) => c.name).join(", ") || "none";
    throw usageError(`context "${name}" does not exist (known: ${known})`, "run `metalctl context list`");
  }
  return ctx;
}

/** upsertContext adds a context or replaces the one with the same name. */
export function upsertContext(config: CliConfig, ctx: ContextConfig): CliConfig {
  const others = config.contexts.filter((c) => c.name !== ctx.name);
  const idx = config.contexts.findIndex((c) => c.name === ctx.name);
  const contexts = idx < 0 ? [...others, ctx] : config.contexts.map((c) => (c.name === ctx.name ? ctx : c));
  return { ...config, contexts };
}

/** switchContext makes `name` current (`-` means the previous one) and remembers the old one. */
export function switchContext(config: CliConfig, name: string): CliConfig {
  const target = name === "-" ? config.previous : name;
  if (!target) throw usageError("there is no previous context to go back to", "run `metalctl context list`");
  findContext(config, target);
  if (target === config.current) return config;
  return { ...config, current: target, previous: config.current };
}

/** removeContext deletes a context and clears current/previous pointers to it. */
export function removeContext(config: CliConfig, name: string): CliConfig {
  findContext(config, name);
  const out: CliConfig = { contexts: config.contexts.filter((c) => c.name !== name) };
  if (config.current && config.current !== name) out.current = config.current;
  if (config.previous && config.previous !== name) out.previous = config.previous;
  return out;
}

/**
 * dropDefaultProject clears the default project of every context on `apiUrl` whose default is the
 * deleted project (by ID or name), as kubectl forgets a deleted context, and names those contexts.
 */
export function dropDefaultProject(
  config: CliConfig,
  apiUrl: string,
  project: { id: string; name: string },
): { config: CliConfig; contexts: string[] } {
  const url = normalizeApiUrl(apiUrl);
  const hit = (c: ContextConfig) =>
    c.defaultProject !== undefined &&
    [project.id, project.name].includes(c.defaultProject) &&
    normalizeApiUrl(c.apiUrl) === url;
  const contexts = config.contexts.filter(hit).map((c) => c.name);
  if (!contexts.length) return { config, contexts };
  const next = config.contexts.map((c) => {
    if (!hit(c)) return c;
    const { defaultProject: _, ...rest } = c;
    return rest;
  });
  return { config: { ...config, contexts: next }, contexts };
}

/** validateContextName refuses names that would be awkward as a keychain account or on a shell line. */
export function validateContextName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name) || name === "-") {
    throw usageError(`context name "${name}" is invalid`, "use letters, digits, '.', '_' or '-' (max 63)");
  }
  return name;
}

/** normalizeApiUrl checks an API URL and strips a trailing slash. */
export function normalizeApiUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`API URL "${url}" is not a URL`, "pass e.g. --api-url https://api.example.com");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw usageError(`API URL "${url}" must use http or https`);
  }
  if (u.username || u.password || u.search || u.hash) {
    throw usageError(`API URL "${url}" must not contain credentials, a query or a fragment`);
  }
  return u.toString().replace(/\/+$/, "");
}
