import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { CredentialStore, Credentials } from "../../../src/cli/auth/credentials.js";
import { discoverEndpoints, jwtExpiry, toCredentials } from "../../../src/cli/auth/oauth.js";
import { createSessionTokenSource, expiresSoon } from "../../../src/cli/auth/session.js";
import { CliError } from "../../../src/cli/errors.js";
import { API_MARKER } from "../../../src/shared/server-identity.js";

// A tiny stand-in for a (possibly hostile) server: answers every request with one JSON body.
let server: http.Server | undefined;
async function serve(status: number, body: unknown | ((base: string) => unknown)): Promise<string> {
  let base = "";
  server = http.createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(typeof body === "function" ? body(base) : body));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return base;
}
afterEach(() => {
  server?.close();
  server = undefined;
});

const jwt = (claims: object) =>
  ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("authorization server discovery", () => {
  it("uses the metadata's endpoints on the API server's origin", async () => {
    const url = await serve(200, {});
    const base = url;
    server!.removeAllListeners("request");
    server!.on("request", (_req, res) => {
      res.end(
        JSON.stringify({
          [API_MARKER.field]: API_MARKER.value,
          token_endpoint: `${base}/oauth/token`,
          revocation_endpoint: `${base}/oauth/revoke`,
        }),
      );
    });
    const ep = await discoverEndpoints(url);
    expect(ep.token).toBe(`${url}/oauth/token`);
    expect(ep.revocation).toBe(`${url}/oauth/revoke`);
    expect(ep.device).toBe(`${url}/auth/device/code`);
  });

  it("refuses metadata that sends tokens to another origin", async () => {
    const url = await serve(200, {
      [API_MARKER.field]: API_MARKER.value,
      token_endpoint: "https://evil.example/token",
    });
    await expect(discoverEndpoints(url)).rejects.toThrow(/token_endpoint to another origin/);
  });

  it("falls back to the contract's paths for endpoints the metadata leaves out", async () => {
    const url = await serve(200, { [API_MARKER.field]: API_MARKER.value });
    expect((await discoverEndpoints(url)).token).toBe(`${url}/auth/token`);
  });

  for (const [what, status, body] of [
    ["no metadata at all", 404, {}],
    ["a refusal", 401, { code: "unauthenticated" }],
    ["metadata of another OAuth server", 200, { issuer: "https://login.example", token_endpoint: "x" }],
    ["a JSON list", 200, []],
    ["a marker naming another API", 200, { [API_MARKER.field]: "metalstack.api.v1" }],
  ] as const) {
    it(`stops at a server that is not a metal-apiserver: ${what}`, async () => {
      const url = await serve(status, body);
      const err = await discoverEndpoints(url).catch((e) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toBe(
        `${url} is not a metal-apiserver: ${
          status === 404
            ? "it has no /.well-known/oauth-authorization-server"
            : status === 401
              ? "it answers HTTP 401 to /.well-known/oauth-authorization-server"
              : Array.isArray(body)
                ? "its authorization server metadata is not a JSON object"
                : "its authorization server metadata does not name the metalstack.api.v2 API"
        }`,
      );
    });
  }

  it("reports an unreachable server as unavailable", async () => {
    const err = await discoverEndpoints("http://127.0.0.1:9").catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(7);
  });
});

describe("session tokens", () => {
  const now = new Date("2026-01-01T00:00:00Z");

  it("computes expiry from expires_in, else from the JWT", () => {
    expect(
      toCredentials({ access_token: "a", token_type: "Bearer", expires_in: 60 }, now, "http://x").expiresAt,
    ).toBe("2026-01-01T00:01:00.000Z");
    const exp = Date.parse("2026-01-02T00:00:00Z") / 1000;
    expect(jwtExpiry(jwt({ exp }))?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(jwtExpiry("opaque-token")).toBeUndefined();
  });

  it("renews within a minute of expiry", () => {
    const c = (iso: string): Credentials => ({ accessToken: "a", expiresAt: iso });
    expect(expiresSoon(c("2026-01-01T00:00:30Z"), now)).toBe(true);
    expect(expiresSoon(c("2026-01-01T00:05:00Z"), now)).toBe(false);
    expect(expiresSoon({ accessToken: "opaque" }, now)).toBe(false);
  });

  it("says the session expired when a near-expiry token has no refresh token", async () => {
    const store: CredentialStore = {
      fallbackPath: "",
      read: async () => ({ accessToken: "a", expiresAt: "2025-12-31T00:00:00Z" }),
      write: async () => {},
      remove: async () => {},
    };
    const source = createSessionTokenSource({
      apiUrl: "http://127.0.0.1:9",
      contextApiUrl: "http://127.0.0.1:9",
      context: "x",
      storage: "file",
      store,
      now: () => now,
    });
    const err = await source.token().catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.message).toBe("session expired");
    expect(err.exitCode).toBe(3);
  });

  it("says the session expired when the server refuses the refresh token", async () => {
    const url = await serve(400, { error: "invalid_grant" });
    const written: Credentials[] = [];
    const store: CredentialStore = {
      fallbackPath: "",
      read: async () => ({
        accessToken: "a",
        refreshToken: "r",
        expiresAt: "2025-12-31T00:00:00Z",
        apiUrl: url,
      }),
      write: async (_c, _s, creds) => {
        written.push(creds);
      },
      remove: async () => {},
    };
    const source = createSessionTokenSource({
      apiUrl: url,
      contextApiUrl: url,
      context: "x",
      storage: "file",
      store,
      now: () => now,
    });
    const err = await source.token().catch((e) => e);
    expect(err.exitCode).toBe(3);
    expect(written).toEqual([]);
  });

  describe("are bound to the server that issued them", () => {
    const here = "http://127.0.0.1:9";
    const elsewhere = "http://127.0.0.1:10";
    const storeOf = (creds: Credentials): CredentialStore => ({
      fallbackPath: "",
      read: async () => creds,
      write: async () => {},
      remove: async () => {},
    });
    const source = (creds: Credentials, apiUrl: string) =>
      createSessionTokenSource({
        apiUrl,
        contextApiUrl: here,
        context: "lab",
        storage: "file",
        store: storeOf(creds),
        now: () => now,
      });

    it("hands out the token for the URL it was issued by", async () => {
      expect(await source({ accessToken: "a", apiUrl: here }, here).token()).toBe("a");
    });

    it("refuses another URL, naming both and the two ways out", async () => {
      const err = await source({ accessToken: "a", apiUrl: here }, elsewhere)
        .token()
        .catch((e) => e);
      expect(err).toBeInstanceOf(CliError);
      expect(err.exitCode).toBe(3);
      expect(err.message).toBe(
        `the credentials of context "lab" were issued by ${here} and are not sent to ${elsewhere}`,
      );
      expect(err.hint).toContain(`metalctl login --api-url ${elsewhere}`);
      expect(err.hint).toContain("METALCTL_API_TOKEN");
    });

    it("binds credentials stored without a URL to their context's URL", async () => {
      expect(await source({ accessToken: "a" }, here).token()).toBe("a");
      expect(
        (
          await source({ accessToken: "a" }, elsewhere)
            .token()
            .catch((e) => e)
        ).exitCode,
      ).toBe(3);
    });

    it("refuses a context pointed at another server after the login", async () => {
      const moved = createSessionTokenSource({
        apiUrl: elsewhere,
        contextApiUrl: elsewhere,
        context: "lab",
        storage: "file",
        store: storeOf({ accessToken: "a", apiUrl: here }),
        now: () => now,
      });
      expect((await moved.token().catch((e) => e)).exitCode).toBe(3);
    });

    it("keeps the binding when it renews the tokens", async () => {
      const url = await serve(200, { access_token: "b", token_type: "Bearer", expires_in: 3600 });
      const written: Credentials[] = [];
      const renewing = createSessionTokenSource({
        apiUrl: url,
        contextApiUrl: url,
        context: "lab",
        storage: "file",
        store: {
          fallbackPath: "",
          read: async () => ({
            accessToken: "a",
            refreshToken: "r",
            expiresAt: "2025-12-31T00:00:00Z",
            apiUrl: url,
          }),
          write: async (_c, _s, creds) => {
            written.push(creds);
          },
          remove: async () => {},
        },
        now: () => now,
      });
      expect(await renewing.token()).toBe("b");
      expect(written[0]?.apiUrl).toBe(url);
    });
  });
});
