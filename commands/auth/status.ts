import { apiTokenIdentity, fetchUser } from "../../src/cli/auth/login-setup.js";
import { jwtExpiry } from "../../src/cli/auth/oauth.js";
import { MetalCommand } from "../../src/cli/base-command.js";
import { requireApiUrl } from "../../src/cli/config/target.js";
import { soleProject } from "../../src/cli/resources/token.js";
import { type SessionStatus, sessionDetail } from "../../src/cli/resources/user.js";

/** AuthStatus shows who is logged in where, the token expiry, the credential storage, tenants and projects. */
export default class AuthStatus extends MetalCommand<typeof AuthStatus> {
  static override summary =
    "Show the logged-in user, context, API URL, token expiry, storage, tenants, projects and roles.";
  static override aliases = ["whoami"];
  static override examples = ["<%= config.bin %> whoami", "<%= config.bin %> auth status -o json"];

  async run(): Promise<SessionStatus> {
    const target = this.deps.target();
    const apiUrl = requireApiUrl(target);
    const token = await this.deps.tokenSource().token();
    const status: SessionStatus = {
      apiUrl,
      storage: target.envToken ? "environment" : (target.context?.credentialStorage ?? "keychain"),
    };
    if (target.context) status.context = target.context.name;
    if (target.project) status.defaultProject = target.project;
    const exp = await this.expiry(token);
    if (exp) status.tokenExpires = exp;
    const user = await fetchUser(this.deps, apiUrl, token);
    if (user) status.user = user;
    const apiToken = await apiTokenIdentity(this.deps, apiUrl, token);
    if (apiToken) status.apiToken = apiToken;
    // With no project named, commands use the only project of a token scoped to one.
    const only = apiToken?.record && soleProject(apiToken.record);
    if (!status.defaultProject && only) status.defaultProject = only;
    this.print(sessionDetail(status));
    return status;
  }

  private async expiry(token: string): Promise<Date | undefined> {
    const ctx = this.deps.target().context;
    if (!this.deps.target().envToken && ctx?.credentialStorage) {
      const creds = await this.deps.credentials.read(ctx.name, ctx.credentialStorage);
      if (creds?.expiresAt) return new Date(creds.expiresAt);
    }
    return jwtExpiry(token);
  }
}
