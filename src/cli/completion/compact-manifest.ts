import type { Manifest, ManifestCommand, ManifestFlag } from "./complete.js";

/** CompactCommand is a command as a TAB needs it, naming the shared flags it takes instead of repeating them. */
export type CompactCommand = ManifestCommand & { shared: string[] };

/**
 * CompactManifest is the completion index the build writes next to the bundle: the oclif manifest without
 * help texts and examples, each flag that many commands share (the global ones) stored once. A TAB parses
 * it in a fraction of the manifest's time.
 */
export interface CompactManifest {
  sharedFlags: Record<string, ManifestFlag>;
  commands: Record<string, CompactCommand>;
}

const FLAG_FIELDS = ["name", "char", "type", "options", "summary", "hidden", "allowNo", "helpGroup"] as const;

/** compactManifest keeps what completion reads of the oclif manifest and stores shared flags once. */
export function compactManifest(manifest: Manifest): CompactManifest {
  const sharedFlags: Record<string, ManifestFlag> = {};
  const commands: Record<string, CompactCommand> = {};
  for (const [key, c] of Object.entries(manifest.commands)) {
    const flags: Record<string, ManifestFlag> = {};
    const shared: string[] = [];
    for (const [name, f] of Object.entries(c.flags)) {
      const flag = pick(f, FLAG_FIELDS) as ManifestFlag;
      const global = (f as { helpGroup?: string }).helpGroup === "GLOBAL";
      if (global) sharedFlags[name] ??= flag;
      // A global flag defined differently by one command stays with that command.
      if (global && JSON.stringify(sharedFlags[name]) === JSON.stringify(flag)) shared.push(name);
      else flags[name] = flag;
    }
    const args = Object.fromEntries(
      Object.entries(c.args).map(([n, a]) => [n, pick(a, ["name", "options"])]),
    );
    commands[key] = {
      ...(pick(c, ["id", "summary", "hidden", "aliases", "completion"]) as ManifestCommand),
      flags,
      args: args as ManifestCommand["args"],
      shared,
    };
  }
  return { sharedFlags, commands };
}

/** expandManifest turns a completion index back into the manifest shape completion plans with. */
export function expandManifest(index: CompactManifest): Manifest {
  const commands: Record<string, ManifestCommand> = {};
  for (const [key, { shared, ...c }] of Object.entries(index.commands)) {
    const flags = Object.fromEntries(shared.map((name) => [name, index.sharedFlags[name]!]));
    commands[key] = { ...c, flags: { ...flags, ...c.flags } };
  }
  return { commands };
}

function pick<T extends object>(o: T, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as Partial<T>;
}
