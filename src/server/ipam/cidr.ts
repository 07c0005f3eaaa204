import net from "node:net";

/** Family is the IP version of an address or prefix. */
export type Family = 4 | 6;

/** Address is a parsed IP address: its family and its value as an unsigned integer. */
export interface Address {
  family: Family;
  value: bigint;
}

/** Prefix is a parsed CIDR prefix whose host bits are zero. */
export interface Prefix {
  family: Family;
  base: bigint;
  length: number;
}

/** bitsOf returns the address width of a family. */
export function bitsOf(family: Family): number {
  return family === 4 ? 32 : 128;
}

/**
 * parseAddress parses IPv4 or IPv6 text; undefined when it is not an address. An IPv6 zone
 * ("fe80::1%eth0") names an interface of one host, not an address the API can allocate or match.
 */
export function parseAddress(text: string): Address | undefined {
  if (text.includes("%")) return undefined;
  const kind = net.isIP(text);
  if (kind === 4) {
    const parts = text.split(".").map(Number);
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (kind === 6) return { family: 6, value: parseV6(text) };
  return undefined;
}

function parseV6(text: string): bigint {
  let s = text.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const v4 = s.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4?.[1]) {
    const n = parseAddress(v4[1])!.value;
    s = `${s.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = s.split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill("0"), ...tailGroups];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

/**
 * addressKey renders an address as text that sorts by family, then numerically: "4" and 8 hex digits,
 * or "6" and 32 (address text does not: 10.0.0.10 sorts before 10.0.0.2).
 */
export function addressKey(a: Address): string {
  return a.family === 4
    ? `4${a.value.toString(16).padStart(8, "0")}`
    : `6${a.value.toString(16).padStart(32, "0")}`;
}

/** formatAddress renders an address canonically: dotted quad, or RFC 5952 compressed lower-case IPv6. */
export function formatAddress(a: Address): string {
  if (a.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((a.value >> shift) & 0xffn).toString()).join(".");
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/**
 * parsePrefix parses "address/length". It returns an error text instead of throwing so callers can
 * name the offending field; host bits must be zero (10.0.0.0/8, not 10.1.0.0/8).
 */
export function parsePrefix(text: string): Prefix | string {
  const slash = text.indexOf("/");
  if (slash < 0) return `"${text}" is not a CIDR prefix (address/length)`;
  const addr = parseAddress(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!addr) return `"${text}" does not start with an IP address`;
  const length = Number(lenText);
  if (!/^\d{1,3}$/.test(lenText) || length > bitsOf(addr.family)) {
    return `"${text}" has no valid prefix length (0-${bitsOf(addr.family)})`;
  }
  const prefix: Prefix = { family: addr.family, base: addr.value, length };
  if ((addr.value & hostMask(prefix)) !== 0n) {
    return `"${text}" has host bits set; did you mean ${formatPrefix({ ...prefix, base: addr.value & ~hostMask(prefix) })}?`;
  }
  return prefix;
}

/** formatPrefix renders a prefix canonically, e.g. 10.0.0.0/22 or 2001:db8::/64. */
export function formatPrefix(p: Prefix): string {
  return `${formatAddress({ family: p.family, value: p.base })}/${p.length}`;
}

function hostMask(p: Prefix): bigint {
  return (1n << BigInt(bitsOf(p.family) - p.length)) - 1n;
}

/** sizeOf returns the number of addresses in a prefix. */
export function sizeOf(p: Prefix): bigint {
  return 1n << BigInt(bitsOf(p.family) - p.length);
}

/** lastOf returns the highest address value of a prefix. */
export function lastOf(p: Prefix): bigint {
  return p.base + sizeOf(p) - 1n;
}

/** contains tells whether an address lies inside a prefix of the same family. */
export function contains(p: Prefix, a: Address): boolean {
  return p.family === a.family && a.value >= p.base && a.value <= lastOf(p);
}

/** overlaps tells whether two prefixes share at least one address. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  return a.family === b.family && a.base <= lastOf(b) && b.base <= lastOf(a);
}

/**
 * isReserved tells whether an address is the first (network) or last (broadcast) address of its
 * prefix; both are never handed out, for IPv6 too (subnet-router anycast and symmetry).
 */
export function isReserved(p: Prefix, a: Address): boolean {
  return a.value === p.base || a.value === lastOf(p);
}
