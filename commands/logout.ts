import { Flags } from "@oclif/core";
import { revokeCredentials } from "../src/cli/auth/session.js";
import { MetalCommand } from "../src/cli/base-command.js";
import { usageError } from "../src/cli/errors.js";
import { quietFlags } from "../src/cli/flags.js";
import { TokenService } from "../src/gen/metalstack/api/v2/token_pb.js";

/** Logout revokes the context's tokens on the server and deletes them locally. */
export default class Logout extends MetalCommand<typeof Logout> {
  static override summary = "Log out: revoke the tokens on the server and delete them locally.";
  static override baseFlags = quietFlags;
  static override flags = {
    all: Flags.boolean({
      summary: "End all of your login sessions on this server (every device); API tokens keep working.",
    }),
  };
  static override examples = [
    "<%= config.bin %> logout",
    "<%= config.bin %> logout --context lab",
    "<%= config.bin %> logout --all",
  ];

  async run(): Promise<void> {
    const ctx = this.deps.target().context;
    if (!ctx) throw usageError("no context to log out of", "pass --context NAME");
    const storage = ctx.credentialStorage;
    const creds = storage ? await this.deps.credentials.read(ctx.name, storage) : undefined;
    if (!storage || !creds) {
      this.note(`Not logged in to context "${ctx.name}".`);
      return;
    }
    let failures: string[] = [];
    if (this.flags.all) {
      // Ends this context's session too; the server refuses it for an API token, and nothing local changes.
      await this.deps.client(TokenService).revokeAll({ loginSessionsOnly: true });
      this.note(`Ended all of your login sessions on ${ctx.apiUrl}.`);
    } else {
      // The server that issued the tokens, even if the context was pointed elsewhere since.
      failures = await revokeCredentials(creds, ctx.apiUrl);
    }
    await this.deps.credentials.remove(ctx.name, storage);
    const { credentialStorage: _dropped, ...rest } = ctx;
    const config = this.deps.config();
    this.deps.saveConfig({
      ...config,
      contexts: config.contexts.map((c) => (c.name === ctx.name ? rest : c)),
    });
    for (const f of failures)
      this.note(`Warning: could not revoke the ${f} — it stays valid until it expires.`);
    this.note(`Logged out of context "${ctx.name}" (${ctx.apiUrl}); local credentials deleted.`);
  }
}
