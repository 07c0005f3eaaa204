import type { Manifest, ManifestCommand, ManifestFlag } from "./complete.js";

/** CompactDetail is what a TAB needs of one command beyond its name: flags, arguments, completion sources. */
interface CompactDetail {
  flags: Record<string, ManifestFlag>;
  args: ManifestCommand["args"];
  completion?: ManifestCommand["completion"];
  /** The shared flags the command takes, by name. */
  shared: string[];
}

/**
 * CompactCommand is a command as a TAB needs it: what lists and finds commands as fields, the rest as
 * one JSON text (`detail`, a CompactDetail) parsed only for the command the typed words name.
 */
export type CompactCommand = Pick<ManifestCommand, "id" | "summary" | "hidden" | "aliases"> & {
  detail: string;
};

/**
 * CompactManifest is the completion index the build writes next to the bundle: the oclif manifest without
 * help texts and examples, each flag that many commands share (the global ones) stored once, and each
 * command's details as a string. A TAB parses it in a fraction of the manifest's time: JSON.parse
 * scans a string much faster than it builds the objects inside.
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
    const detail: CompactDetail = { flags, args: args as ManifestCommand["args"], shared };
    if (c.completion) detail.completion = c.completion;
    commands[key] = {
      ...(pick(c, ["id", "summary", "hidden", "aliases"]) as Pick<ManifestCommand, "id">),
      detail: JSON.stringify(detail),
    };
  }
  return { sharedFlags, commands };
}

/**
 * expandManifest turns a completion index back into the manifest shape completion plans with. A
 * command's flags, arguments and completion sources are parsed when first read.
 */
export function expandManifest(index: CompactManifest): Manifest {
  const commands: Record<string, ManifestCommand> = {};
  for (const [key, { detail, ...c }] of Object.entries(index.commands)) {
    let parsed: ManifestCommand | undefined;
    const expand = (): ManifestCommand => {
      if (parsed) return parsed;
      const { shared, flags, ...rest } = JSON.parse(detail) as CompactDetail;
      const own = Object.fromEntries(shared.map((name) => [name, index.sharedFlags[name]!]));
      parsed = { ...c, ...rest, flags: { ...own, ...flags } };
      return parsed;
    };
    commands[key] = {
      ...c,
      get flags() {
        return expand().flags;
      },
      get args() {
        return expand().args;
      },
      get completion() {
        return expand().completion;
      },
    };
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
