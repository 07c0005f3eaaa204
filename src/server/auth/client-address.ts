import net from "node:net";
import { type ContextValues, createContextKey, createContextValues } from "@connectrpc/connect";
import { ConfigError, type ServerConfig } from "../config.js";

/** clientAddressKey holds the address of the client a request came from ("" when unknown). */
export const clientAddressKey = createContextKey<string>("", { description: "client address" });

/** RequestLike is the part of a Node request that tells where it came from. */
export interface RequestLike {
  socket?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * TrustedProxies are the load balancers and reverse proxies whose X-Forwarded-For header is believed;
 * with none configured the header is ignored, so a client cannot pick its own address.
 */
export interface TrustedProxies {
  has(address: string): boolean;
}

/**
 * parseTrustedProxies reads a comma-separated list of addresses and CIDR prefixes, e.g.
 * "10.0.0.0/8, 192.0.2.10, fd00::/8"; `where` names the setting in errors.
 */
export function parseTrustedProxies(text: string, where: string): TrustedProxies {
  const list = new net.BlockList();
  let empty = true;
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits, ...rest] = entry.split("/");
    const family = net.isIP(address ?? "");
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : Number(bits);
    if (!family || rest.length || !Number.isInteger(prefix) || prefix < 0 || prefix > max || bits === "") {
      throw new ConfigError(
        `${where}: "${entry}" is not an IP address or CIDR prefix; list proxies like 10.0.0.0/8,192.0.2.10`,
      );
    }
    list.addSubnet(address!, prefix, family === 6 ? "ipv6" : "ipv4");
    empty = false;
  }
  return { has: (a) => !empty && isTrusted(list, a) };
}

function isTrusted(list: net.BlockList, address: string): boolean {
  const family = net.isIP(address);
  if (!family) return false;
  return list.check(address, family === 6 ? "ipv6" : "ipv4");
}

const parsed = new WeakMap<ServerConfig, TrustedProxies>();

/** trustedProxiesOf is the parsed `trustedProxies` setting of a server configuration (parsed once). */
export function trustedProxiesOf(config: ServerConfig): TrustedProxies {
  let trusted = parsed.get(config);
  if (!trusted) {
    trusted = parseTrustedProxies(config.trustedProxies, "--trusted-proxies");
    parsed.set(config, trusted);
  }
  return trusted;
}

/** unmapped turns an IPv4-mapped IPv6 peer address (::ffff:192.0.2.1) into plain IPv4. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/** peerAddress is the TCP peer of a request (for h2c the wrapped session socket's peer). */
function peerAddress(req: RequestLike): string {
  // For h2c the session runs on a JS stream wrapper (app.ts replays the preface); Node exposes the
  // wrapped stream as `.stream`, and app.ts gives it the TCP peer's address.
  const socket = req.socket as { remoteAddress?: string; stream?: { remoteAddress?: string } } | undefined;
  return unmapped(socket?.remoteAddress ?? socket?.stream?.remoteAddress ?? "");
}

/**
 * clientAddress is where a request came from: the TCP peer, or, when the peer is a trusted proxy,
 * the right-most X-Forwarded-For entry that is not itself a trusted proxy (entries left of it could
 * have been written by the client). A malformed entry stops the walk at the last trusted hop.
 */
export function clientAddress(req: RequestLike, trusted: TrustedProxies): string {
  let address = peerAddress(req);
  if (!trusted.has(address)) return address;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => unmapped(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!net.isIP(hop)) return address;
    address = hop;
    if (!trusted.has(hop)) return hop;
  }
  return address;
}

/** requestContextValues seeds every RPC's context values from the Node request: the client address. */
export function requestContextValues(trusted: TrustedProxies): (req: RequestLike) => ContextValues {
  return (req) => {
    const values = createContextValues();
    values.set(clientAddressKey, clientAddress(req, trusted));
    return values;
  };
}
