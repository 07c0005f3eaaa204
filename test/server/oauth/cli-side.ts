import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** Pkce is a fresh PKCE pair. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/** newPkce draws a verifier and computes its S256 challenge, as the CLI does. */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Loopback is the CLI's side of a browser login: a listener on 127.0.0.1 that receives the callback. */
export interface Loopback {
  redirectUri: string;
  /** Resolves with the callback's query parameters. */
  callback: Promise<URLSearchParams>;
  close(): Promise<void>;
}

/** startLoopback listens on a random loopback port and answers the first /callback with a short page. */
export async function startLoopback(): Promise<Loopback> {
  let resolve!: (q: URLSearchParams) => void;
  const callback = new Promise<URLSearchParams>((r) => {
    resolve = r;
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/callback") {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { "content-type": "text/html" })
      .end("<!doctype html><title>done</title><h1>Login finished</h1>");
    resolve(url.searchParams);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    callback,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** authorizeUrl builds the CLI's /auth/authorize URL. */
export function authorizeUrl(
  base: string,
  p: { redirectUri: string; state?: string; challenge?: string; method?: string; clientId?: string },
): string {
  const u = new URL("/auth/authorize", base);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("client_id", p.clientId ?? "metalctl");
  u.searchParams.set("redirect_uri", p.redirectUri);
  if (p.state !== undefined) u.searchParams.set("state", p.state);
  if (p.challenge !== undefined) u.searchParams.set("code_challenge", p.challenge);
  if (p.method !== undefined) u.searchParams.set("code_challenge_method", p.method);
  return u.href;
}

/** postForm sends an application/x-www-form-urlencoded POST and returns status and JSON body. */
export async function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** exchangeCode redeems an authorization code at /auth/token. */
export function exchangeCode(base: string, code: string, verifier: string, redirectUri: string) {
  return postForm(`${base}/auth/token`, {
    grant_type: "authorization_code",
    client_id: "metalctl",
    code,
    code_verifier: verifier,
    redirect_uri: redirectUri,
  });
}
