import type { DescService } from "@bufbuild/protobuf";
import type { Client, Transport } from "@connectrpc/connect";
import { lazyClient } from "./api/lazy-client.js";
import type { TransportOptions } from "./api/transport.js";
import { type CredentialStore, createCredentialStore } from "./auth/credentials.js";
import { type Keychain, openKeychain } from "./auth/keychain.js";
import { createSessionTokenSource, staticTokenSource, type TokenSource } from "./auth/session.js";
import { type BrowserOpener, createBrowserOpener } from "./browser.js";
import { cacheDir } from "./config/dir.js";
import { type CliConfig, type ConfigStore, configDir, createConfigStore } from "./config/store.js";
import { requireApiUrl, resolveTarget, type Target, type TargetFlags } from "./config/target.js";
import { parseDuration } from "./duration.js";
import { CliError, ExitCode } from "./errors.js";
import { createIO, type IO, type IOOptions } from "./io.js";
import { createPrompter, type Prompter } from "./prompter.js";

/** DepsOptions are the global flags and environment a command runs with. */
export interface DepsOptions extends DepsOverrides {
  flags: TargetFlags & { timeout?: string; debug?: boolean; color?: boolean };
  env: NodeJS.ProcessEnv;
  userAgent: string;
}

/**
 * DepsOverrides replace the parts at the edge of the process: the environment, the standard
 * streams, the API transport (e.g. an in-memory one), the prompter and the clock. Unset parts are
 * the real ones.
 */
export interface DepsOverrides {
  env?: NodeJS.ProcessEnv;
  streams?: Pick<IOOptions, "stdin" | "stdout" | "stderr">;
  transport?: Transport;
  prompter?: Prompter;
  now?: () => Date;
}

/** Deps is everything a command may use; each part is built on first use. */
export interface Deps {
  env: NodeJS.ProcessEnv;
  userAgent: string;
  io: IO;
  now: () => Date;
  configStore: ConfigStore;
  /** The loaded config (cached); saveConfig writes and replaces the cache. */
  config(): CliConfig;
  saveConfig(config: CliConfig): void;
  /** The resolved context, API URL, project and env token (flags > env > current context). */
  target(): Target;
  keychain: Keychain;
  credentials: CredentialStore;
  /** The token source for the target: METALCTL_API_TOKEN or the context's renewable session. */
  tokenSource(): TokenSource;
  timeoutMs(): number;
  /** Options of the Connect transport to the target API server (bearer token, user agent, timeout, debug log). */
  transportOptions(): TransportOptions;
  /** client returns a typed client of a service; Connect is loaded on its first call. */
  client<S extends DescService>(service: S): Client<S>;
  /** bidiClient is `client` over HTTP/2, for bidirectional streams (the serial console). */
  bidiClient<S extends DescService>(service: S): Client<S>;
  /** clientFor returns a client for another API URL and token (login checks a new token with it). */
  clientFor<S extends DescService>(service: S, apiUrl: string, token: string): Client<S>;
  prompter: Prompter;
  openBrowser: BrowserOpener;
}

/** createDeps builds the lazy dependency factory of one invocation (GitHub CLI's factory pattern). */
export function createDeps(opts: DepsOptions): Deps {
  const { flags, env } = opts;
  const dir = configDir(env);
  const lazy = <T>(make: () => T) => {
    const m = memo(make);
    return m.get;
  };
  const config = memo(() => deps.configStore.load());
  const keychain = openKeychain();
  const clients = new Map<DescService, unknown>();
  const debugLog = flags.debug ? { debug: (line: string) => deps.io.err(line) } : {};
  // One ID for every call of this invocation: `audit list --request-id` finds a command's calls.
  // node:crypto loads with the first call: commands that make none never need it.
  const requestId = lazy(() => process.getBuiltinModule("node:crypto").randomUUID());
  const deps: Deps = {
    env,
    userAgent: opts.userAgent,
    io: createIO({ ...opts.streams, env, noColor: flags.color === false }),
    now: opts.now ?? (() => new Date()),
    configStore: createConfigStore(dir, cacheDir(env)),
    config: config.get,
    saveConfig(next) {
      deps.configStore.save(next);
      config.set(next);
      target.reset();
    },
    target: () => target.get(),
    keychain,
    credentials: createCredentialStore(dir, () => keychain),
    tokenSource: lazy(() => {
      const t = deps.target();
      if (t.envToken) return staticTokenSource(t.envToken);
      const ctx = t.context;
      const storage = ctx?.credentialStorage;
      if (!ctx || !storage) return { token: async () => requireLogin(ctx?.name) };
      return createSessionTokenSource({
        apiUrl: requireApiUrl(t),
        contextApiUrl: ctx.apiUrl,
        context: ctx.name,
        storage,
        store: deps.credentials,
        now: deps.now,
      });
    }),
    timeoutMs: lazy(() => parseDuration(flags.timeout ?? "30s", "--timeout")),
    transportOptions: () => ({
      baseUrl: requireApiUrl(deps.target()),
      token: () => deps.tokenSource().token(),
      userAgent: opts.userAgent,
      requestId: requestId(),
      timeoutMs: deps.timeoutMs(),
      progress: (label: string) => deps.io.spin(label),
      ...debugLog,
    }),
    clientFor: (service, apiUrl, token) =>
      lazyClient(service, () => ({
        baseUrl: apiUrl,
        token: async () => token,
        userAgent: opts.userAgent,
        requestId: requestId(),
        timeoutMs: deps.timeoutMs(),
        ...debugLog,
      })),
    client(service) {
      let c = clients.get(service);
      if (!c) {
        c = lazyClient(service, deps.transportOptions, opts.transport);
        clients.set(service, c);
      }
      return c as Client<typeof service>;
    },
    bidiClient: (service) =>
      lazyClient(service, () => ({ ...deps.transportOptions(), httpVersion: "2" }), opts.transport),
    prompter: opts.prompter ?? createPrompter(),
    openBrowser: createBrowserOpener(env),
  };
  const target = memo(() => resolveTarget(deps.config(), flags, env));
  return deps;
}

async function requireLogin(context: string | undefined): Promise<string> {
  const where = context ? ` to context "${context}"` : "";
  throw new CliError(`not logged in${where}`, ExitCode.unauthenticated, "run `metalctl login`");
}

/** memo computes a value on first use; `set` replaces it and `reset` forgets it. */
function memo<T>(make: () => T) {
  let v: { value: T } | undefined;
  return {
    get(): T {
      if (!v) v = { value: make() };
      return v.value;
    },
    set(value: T) {
      v = { value };
    },
    reset() {
      v = undefined;
    },
  };
}
