import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { CONTENT_SECURITY_POLICY } from "./pages/layout.js";

/** Req is a plain HTTP request of either protocol version. */
export type Req = IncomingMessage | Http2ServerRequest;
/** Res is the part of a plain HTTP response (either protocol version) the pages and endpoints use. */
export interface Res {
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  end(): unknown;
  end(body: string): unknown;
  readonly headersSent: boolean;
}

const MAX_FORM_BYTES = 16 * 1024;

/** FormTooLarge is thrown when a request body exceeds the form size limit. */
export class FormTooLarge extends Error {}

/** readForm reads an application/x-www-form-urlencoded (or JSON object) body of at most 16 KiB. */
export async function readForm(req: Req): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge(`request body larger than ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks).toString("utf8");
  const type = String(req.headers["content-type"] ?? "");
  if (type.startsWith("application/json")) {
    const parsed = JSON.parse(body || "{}") as Record<string, unknown>;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") params.set(k, v);
    return params;
  }
  return new URLSearchParams(body);
}

/** parseCookies returns the request's cookies by name. */
export function parseCookies(req: Req): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.cookie;
  for (const part of (Array.isArray(header) ? header.join(";") : (header ?? "")).split(";")) {
    const idx = part.indexOf("=");
    if (idx < 0) continue;
    const name = part.slice(0, idx).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(idx + 1).trim()));
    } catch {
      // A malformed cookie value is treated as absent.
    }
  }
  return out;
}

/** cookieHeader builds a Set-Cookie value: HttpOnly, SameSite=Lax, Secure on https, scoped to `path`. */
export function cookieHeader(
  name: string,
  value: string,
  opts: { path: string; maxAgeSeconds: number; secure: boolean },
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${opts.path}`,
    `Max-Age=${opts.maxAgeSeconds}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** sendHtml answers with one of the styled pages and strict security headers. */
export function sendHtml(
  res: Res,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
) {
  res.writeHead(status, { ...PAGE_HEADERS, ...headers });
  res.end(html);
}

/** sendJson answers with a JSON document that must not be cached (OAuth responses carry tokens). */
export function sendJson(res: Res, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    pragma: "no-cache",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

/** redirect answers with 303 See Other to `location`. */
export function redirect(res: Res, location: string, headers: Record<string, string | string[]> = {}) {
  res.writeHead(303, { location, "cache-control": "no-store", ...headers });
  res.end();
}
