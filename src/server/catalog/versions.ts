/**
 * compareVersions orders dotted versions numerically segment by segment ("24.04.20251120" >
 * "24.04.9"); non-numeric segments compare as text, and a longer version wins over its own prefix.
 */
export function compareVersions(a: string, b: string): number {
  const as = a.split(".");
  const bs = b.split(".");
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    const c = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

/** versionHasPrefix tells whether a version equals a dotted prefix or starts with it ("24.04" ⊃ "24.04.1"). */
export function versionHasPrefix(version: string, prefix: string): boolean {
  return version === prefix || version.startsWith(`${prefix}.`);
}

/** splitOsVersion splits an image id like "ubuntu-24.04.20251120" into os and version; undefined without a version. */
export function splitOsVersion(id: string): { os: string; version: string } | undefined {
  const m = id.match(/^([a-z][a-z0-9-]*)-(\d[0-9.]*)$/);
  if (!m || m[2]!.endsWith(".") || m[2]!.includes("..") || m[1]!.endsWith("-")) return undefined;
  return { os: m[1]!, version: m[2]! };
}

/**
 * versionMatches checks a version against a layout constraint: "*" any, ">= x" / "<= x" / "> x" /
 * "< x" by compareVersions, otherwise an exact version or dotted prefix.
 */
export function versionMatches(version: string, constraint: string): boolean {
  const c = constraint.trim();
  if (c === "*" || c === "") return true;
  const m = c.match(/^(>=|<=|>|<)\s*(\S+)$/);
  if (!m) return versionHasPrefix(version, c);
  const cmp = compareVersions(version, m[2]!);
  switch (m[1]) {
    case ">=":
      return cmp >= 0;
    case "<=":
      return cmp <= 0 || versionHasPrefix(version, m[2]!);
    case ">":
      return cmp > 0 && !versionHasPrefix(version, m[2]!);
    default:
      return cmp < 0;
  }
}
