import type { CliResult, CliSandbox } from "./cli.js";
import type { TestServer } from "./start-server.js";

/** CiGrants are the roles an API token is issued with (project or tenant ID → role). */
export interface CiGrants {
  projectRoles?: Record<string, number>;
  tenantRoles?: Record<string, number>;
}

/**
 * ciTokens issues API tokens of `owner` valid for an hour, as `token create` would, and runs the built
 * CLI with one of them as METALCTL_API_TOKEN against the server, as a CI job does.
 */
export function ciTokens(server: () => TestServer, cli: () => CliSandbox, owner: string) {
  return {
    issue: async (grants: CiGrants): Promise<string> =>
      (
        await server().ctx.tokens.issueApiToken({
          userId: owner,
          description: "ci",
          ...grants,
          expiresAt: new Date(Date.now() + 60 * 60 * 1000),
        })
      ).secret,
    run: (token: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
      cli().run(args, { env: { METALCTL_API_URL: server().url, METALCTL_API_TOKEN: token, ...env } }),
  };
}
