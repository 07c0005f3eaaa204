import os from "node:os";
import path from "node:path";

/** configDir is `$XDG_CONFIG_HOME/metalctl`, defaulting to `~/.config/metalctl`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "metalctl");
}

/** configFile is the path of `config.yaml` in a config directory. */
export function configFile(dir: string): string {
  return path.join(dir, "config.yaml");
}

/** cacheDir is `$XDG_CACHE_HOME/metalctl` (default `~/.cache/metalctl`): completion values and parsed config. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
  return path.join(base, "metalctl");
}
