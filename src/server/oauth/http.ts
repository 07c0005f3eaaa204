import type { Req, Res } from "../../shared/http.js";

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
