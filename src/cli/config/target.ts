import { usageError } from "../errors.js";
import { type CliConfig, type ContextConfig, findContext, normalizeApiUrl } from "./store.js";

/** TargetFlags are the command-line overrides of the target. */
export interface TargetFlags {
  context?: string;
  apiUrl?: string;
  project?: string;
}

/** Target is the resolved API endpoint, context, project and token source of one invocation. */
export interface Target {
  context?: ContextConfig;
  apiUrl?: string;
  project?: string;
  /** METALCTL_API_TOKEN; when set it replaces the stored credentials. */
  envToken?: string;
}

/**
 * resolveTarget applies the overrides, highest first: flags (`--context`, `--api-url`,
 * `--project`), environment (`METALCTL_CONTEXT`, `METALCTL_API_URL`, `METALCTL_PROJECT`,
 * `METALCTL_API_TOKEN`), then the current context.
 */
export function resolveTarget(config: CliConfig, flags: TargetFlags, env: NodeJS.ProcessEnv): Target {
  const contextName = flags.context || env.METALCTL_CONTEXT || config.current;
  const context = contextName ? findContext(config, contextName) : undefined;
  const apiUrl = flags.apiUrl || env.METALCTL_API_URL || context?.apiUrl;
  const target: Target = {};
  if (context) target.context = context;
  if (apiUrl) target.apiUrl = normalizeApiUrl(apiUrl);
  const project = flags.project || env.METALCTL_PROJECT || context?.defaultProject;
  if (project) target.project = project;
  if (env.METALCTL_API_TOKEN) target.envToken = env.METALCTL_API_TOKEN;
  return target;
}

/** requireApiUrl returns the target's API URL or a usage error with the next step. */
export function requireApiUrl(target: Target): string {
  if (target.apiUrl) return target.apiUrl;
  throw usageError(
    "no API server selected",
    "run `metalctl login --api-url URL`, or pass --api-url / METALCTL_API_URL",
  );
}

/** requireProject returns the project to act on or a usage error naming both ways to choose one. */
export function requireProject(target: Target): string {
  if (target.project) return target.project;
  throw usageError("no project selected", "run `metalctl project set <id>` or pass --project");
}
