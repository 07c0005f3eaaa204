import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CONTENT_SECURITY_POLICY } from "../../shared/pages/layout.js";
import { messagePage } from "../../shared/pages/message.js";
import { CliError, ExitCode } from "../errors.js";
import { CLIENT_ID, type OAuthEndpoints, requestToken, type TokenResponse } from "./oauth.js";

/** Pkce is a PKCE verifier with its S256 challenge (RFC 7636). */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/** createPkce makes a fresh 256-bit verifier and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** BrowserFlowOptions connect the flow to the terminal and the browser. */
export interface BrowserFlowOptions {
  endpoints: OAuthEndpoints;
  /** Shows the URL to the user (always) and opens the browser unless --no-browser. */
  showUrl(url: string): Promise<void>;
  timeoutMs: number;
}

/**
 * answer sends the browser a page in the look of the identity provider's login pages (one shared
 * declaration in src/shared/pages; every text escaped there), under their strict CSP: no scripts.
 */
function answer(res: http.ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    connection: "close",
  });
  res.end(messagePage(title, text, { alert: status !== 200 }));
}

/**
 * browserLogin runs the authorization code flow with PKCE (S256) and a random state, receiving the
 * code on a one-shot loopback listener at http://127.0.0.1:<random port>/callback (RFC 8252).
 */
export async function browserLogin(opts: BrowserFlowOptions): Promise<TokenResponse> {
  const pkce = createPkce();
  const state = randomBytes(16).toString("base64url");
  let settle!: { resolve: (code: string) => void; reject: (err: Error) => void };
  const codePromise = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== "/callback") {
      res.writeHead(404).end();
      return;
    }
    // A callback with the wrong state is a forged or stale request: refuse it and keep waiting.
    if (url.searchParams.get("state") !== state) {
      answer(
        res,
        400,
        "Login failed",
        "The login answer did not match this metalctl session. Start `metalctl login` again.",
      );
      return;
    }
    const error = url.searchParams.get("error");
    const code = url.searchParams.get("code");
    if (error || !code) {
      const desc = url.searchParams.get("error_description");
      const why = `${error ?? "no code"}${desc ? `: ${desc}` : ""}`;
      answer(res, 400, "Login failed", `The server refused the login (${why}). You can close this window.`);
      settle.reject(
        new CliError(
          `login refused: ${error ?? "no code"}${desc ? ` (${desc})` : ""}`,
          ExitCode.unauthenticated,
        ),
      );
      return;
    }
    answer(res, 200, "Logged in", "metalctl is logged in. You can close this window.");
    settle.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const timer = setTimeout(
    () =>
      settle.reject(
        new CliError(
          "timed out waiting for the browser login",
          ExitCode.unavailable,
          "run `metalctl login` again",
        ),
      ),
    opts.timeoutMs,
  );
  try {
    const authUrl = new URL(opts.endpoints.authorization);
    authUrl.search = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: redirectUri,
      code_challenge: pkce.challenge,
      code_challenge_method: "S256",
      state,
      scope: "openid profile email",
    }).toString();
    await opts.showUrl(authUrl.toString());
    const code = await codePromise;
    return await requestToken(opts.endpoints.token, {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce.verifier,
    });
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}
