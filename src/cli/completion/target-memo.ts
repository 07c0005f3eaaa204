import fs from "node:fs";
import path from "node:path";
import { cacheDir, configDir, configFile } from "../config/dir.js";
import { readPrivateFile, writePrivateFile } from "../config/private-file.js";
import type { TargetFlags } from "../config/target.js";

/** ScopeTarget is what a TAB needs of the resolved target: the API server and project its cache is kept under. */
export interface ScopeTarget {
  apiUrl?: string;
  project?: string;
}

/** Memo is `targets.json` in the cache directory: targets resolved from one version of config.yaml. */
interface Memo {
  stamp: string;
  targets: Record<string, ScopeTarget>;
}

/**
 * memoizedTarget returns the target `resolve` found for the same flags, environment and version of
 * config.yaml before, so a TAB answered from the cache reads no YAML. A changed config.yaml (a
 * context switch, an edit) has another stamp and is resolved anew.
 */
export async function memoizedTarget(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv,
  resolve: () => Promise<ScopeTarget>,
): Promise<ScopeTarget> {
  // The stamp is taken before resolve reads the file: a change in between leaves a stamp no later TAB sees.
  const stamp = configStamp(configFile(configDir(env)));
  const key = JSON.stringify([
    flags.context,
    flags.apiUrl,
    flags.project,
    env.METALCTL_CONTEXT,
    env.METALCTL_API_URL,
    env.METALCTL_PROJECT,
  ]);
  const file = path.join(cacheDir(env), "targets.json");
  const memo = stamp ? readMemo(file) : undefined;
  const current = memo && memo.stamp === stamp ? memo.targets : undefined;
  const known = current?.[key];
  if (known) return known;
  const { apiUrl, project } = await resolve();
  const target: ScopeTarget = {};
  if (apiUrl) target.apiUrl = apiUrl;
  if (project) target.project = project;
  if (stamp) {
    writePrivateFile(file, JSON.stringify({ stamp, targets: { ...current, [key]: target } } satisfies Memo));
  }
  return target;
}

/**
 * configStamp identifies one version of config.yaml by inode, size and change and modification times
 * in nanoseconds ("absent" when there is none); undefined when it cannot be read, so nothing is memoized.
 */
function configStamp(file: string): string | undefined {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "absent" : undefined;
  }
}

function readMemo(file: string): Memo | undefined {
  const text = readPrivateFile(file);
  if (text === undefined) return undefined;
  try {
    const memo = JSON.parse(text) as Memo;
    return typeof memo.stamp === "string" && typeof memo.targets === "object" && memo.targets
      ? memo
      : undefined;
  } catch {
    return undefined;
  }
}
