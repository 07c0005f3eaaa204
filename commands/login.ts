import { Flags } from "@oclif/core";
import { browserLogin } from "../src/cli/auth/browser-flow.js";
import { deviceLogin } from "../src/cli/auth/device-flow.js";
import {
  chooseStorage,
  contextAfterLogin,
  contextNameFor,
  fetchUser,
  pickDefaultProject,
} from "../src/cli/auth/login-setup.js";
import {
  discoverEndpoints,
  serverMetadata,
  type TokenResponse,
  toCredentials,
} from "../src/cli/auth/oauth.js";
import { revokeCredentials } from "../src/cli/auth/session.js";
import { MetalCommand } from "../src/cli/base-command.js";
import { hasDisplay } from "../src/cli/browser.js";
import { normalizeApiUrl, validateContextName } from "../src/cli/config/store.js";
import { usageError } from "../src/cli/errors.js";
import { quietFlags } from "../src/cli/flags.js";
import { projectLabel } from "../src/cli/resources/user.js";

/** Login signs in to an API server (browser, device code or a given token) and stores the tokens. */
export default class Login extends MetalCommand<typeof Login> {
  static override summary = "Log in to an API server and remember it as a context.";
  static override baseFlags = quietFlags;
  static override description =
    "Opens the browser (authorization code + PKCE on a loopback port). Over SSH or without a display the " +
    "device-code flow is used. --with-token reads a token (e.g. from `metalctl token create`) from stdin.";
  static override flags = {
    device: Flags.boolean({
      summary: "Use the device-code flow (enter a code on another device).",
      exclusive: ["with-token"],
    }),
    "no-browser": Flags.boolean({
      summary: "Print the login URL instead of opening a browser.",
      exclusive: ["device"],
    }),
    "with-token": Flags.boolean({
      summary: "Read a token from stdin (CI, scripts).",
      exclusive: ["no-browser"],
    }),
    "insecure-storage": Flags.boolean({
      summary: "Store credentials in a 0600 file instead of the OS keychain.",
    }),
  };
  static override examples = [
    "<%= config.bin %> login --api-url https://api.example.com",
    "<%= config.bin %> login --device",
    "echo $TOKEN | <%= config.bin %> login --with-token --api-url https://api.example.com --context ci",
  ];

  async run(): Promise<void> {
    const { flags } = this;
    const { deps } = this;
    const config = deps.config();
    const named = this.globals.context ?? deps.env.METALCTL_CONTEXT;
    const existing = config.contexts.find((c) => c.name === (named ?? config.current));
    const rawUrl = this.globals["api-url"] ?? deps.env.METALCTL_API_URL ?? existing?.apiUrl;
    if (!rawUrl)
      throw usageError(
        "which API server? no --api-url and no current context",
        "run `metalctl login --api-url URL`",
      );
    const apiUrl = normalizeApiUrl(rawUrl);
    const name = validateContextName(
      named ??
        (existing?.apiUrl === apiUrl ? existing.name : undefined) ??
        config.contexts.find((c) => c.apiUrl === apiUrl)?.name ??
        contextNameFor(apiUrl),
    );
    const previous = config.contexts.find((c) => c.name === name);

    const res = await this.obtainTokens(apiUrl, flags);
    const creds = toCredentials(res, deps.now(), apiUrl);
    const user = await fetchUser(deps, apiUrl, creds.accessToken);
    const storage = await chooseStorage(deps, flags["insecure-storage"]);
    const replaced = previous?.credentialStorage
      ? await deps.credentials.read(name, previous.credentialStorage).catch(() => undefined)
      : undefined;
    if (previous?.credentialStorage && previous.credentialStorage !== storage) {
      await deps.credentials.remove(name, previous.credentialStorage).catch(() => undefined);
    }
    await deps.credentials.write(name, storage, creds);
    // The context's previous login session ends here rather than lingering for 30 days. A token given
    // with --with-token is left alone: it may be a CI token that is still in use elsewhere.
    if (replaced?.refreshToken && replaced.refreshToken !== creds.refreshToken) {
      for (const f of await revokeCredentials(replaced, previous?.apiUrl ?? apiUrl))
        this.note(`Warning: could not revoke the previous session's ${f} — it stays valid until it expires.`);
    }
    const project = await pickDefaultProject(
      deps,
      user,
      previous?.apiUrl === apiUrl ? previous.defaultProject : undefined,
    );
    deps.saveConfig(
      contextAfterLogin(config, {
        ...previous,
        name,
        apiUrl,
        credentialStorage: storage,
        ...(project ? { defaultProject: project } : {}),
      }),
    );
    const who = user ? `${user.name || user.id}${user.email ? ` <${user.email}>` : ""}` : "an API token";
    this.note(`Logged in to ${apiUrl} as ${who} (context "${name}", credentials in the ${storage}).`);
    if (project) this.note(`Default project: ${projectLabel(user, project)}.`);
    else if (user && user.projects.length > 1)
      this.note("Choose a default project with `metalctl project set`.");
  }

  private async obtainTokens(
    apiUrl: string,
    flags: { device: boolean; "no-browser": boolean; "with-token": boolean },
  ): Promise<TokenResponse> {
    const { deps } = this;
    if (flags["with-token"]) {
      const token = (await readAll(deps.io.stdin)).trim();
      if (!token)
        throw usageError(
          "--with-token read no token from stdin",
          "pipe it in: echo $TOKEN | metalctl login --with-token",
        );
      // The token goes nowhere before the server has said it is a metal-apiserver.
      await serverMetadata(apiUrl);
      return { access_token: token, token_type: "Bearer" };
    }
    const endpoints = await discoverEndpoints(apiUrl);
    const useDevice = flags.device || (!flags["no-browser"] && !hasDisplay(deps.env));
    if (useDevice) {
      return deviceLogin({
        endpoints,
        show: (dc) => {
          this.note(`To log in, open ${dc.verification_uri} and enter the code ${dc.user_code}`);
          if (dc.verification_uri_complete) this.note(`or open ${dc.verification_uri_complete}`);
          this.note("Waiting for approval…");
        },
      });
    }
    return browserLogin({
      endpoints,
      timeoutMs: 5 * 60_000,
      showUrl: async (url) => {
        this.note("Open this URL in your browser to log in:");
        this.note(url);
        if (!flags["no-browser"] && !(await deps.openBrowser(url)))
          this.note("(could not open a browser; open the URL yourself)");
      },
    });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += chunk.toString();
  return out;
}
