import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { clientAddress, parseTrustedProxies } from "../../../src/server/auth/client-address.js";
import { ConfigError } from "../../../src/server/config.js";
import { serveConfig } from "../../../src/server/main.js";
import { startTestServer } from "../../helpers/start-server.js";
import { addUser, bearer, FOREIGN_PROJECT, seedScopes } from "../authz/fixtures.js";

const proxies = parseTrustedProxies("10.0.0.0/8, 192.0.2.10, fd00::/8", "--trusted-proxies");
const request = (peer: string, xff?: string | string[]) => ({
  socket: { remoteAddress: peer },
  headers: xff === undefined ? {} : { "x-forwarded-for": xff },
});

describe("client address behind proxies", () => {
  it("ignores X-Forwarded-For from a peer that is not a trusted proxy (clients cannot pick an address)", () => {
    expect(clientAddress(request("198.51.100.7", "1.2.3.4"), proxies)).toBe("198.51.100.7");
    expect(clientAddress(request("198.51.100.7", "10.0.0.1"), proxies)).toBe("198.51.100.7");
    const none = parseTrustedProxies("", "--trusted-proxies");
    expect(clientAddress(request("10.0.0.1", "1.2.3.4"), none)).toBe("10.0.0.1");
  });

  it("takes the right-most hop that is not a trusted proxy, so entries a client prepends do not count", () => {
    expect(clientAddress(request("10.1.2.3", "203.0.113.5"), proxies)).toBe("203.0.113.5");
    // The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the real peer.
    expect(clientAddress(request("10.1.2.3", "1.1.1.1, 203.0.113.5"), proxies)).toBe("203.0.113.5");
    // Two proxies in a row: 192.0.2.10 forwarded to 10.1.2.3.
    expect(clientAddress(request("10.1.2.3", "1.1.1.1, 203.0.113.5, 192.0.2.10"), proxies)).toBe(
      "203.0.113.5",
    );
    // Repeated headers are one list.
    expect(clientAddress(request("10.1.2.3", ["1.1.1.1", "203.0.113.5"]), proxies)).toBe("203.0.113.5");
  });

  it("stops at a malformed hop instead of believing what lies beyond it", () => {
    expect(clientAddress(request("10.1.2.3", "1.1.1.1, not-an-ip"), proxies)).toBe("10.1.2.3");
    expect(clientAddress(request("10.1.2.3", "1.1.1.1, unknown, 192.0.2.10"), proxies)).toBe("192.0.2.10");
    expect(clientAddress(request("10.1.2.3", ""), proxies)).toBe("10.1.2.3");
    expect(clientAddress(request("10.1.2.3"), proxies)).toBe("10.1.2.3");
  });

  it("handles IPv6 and IPv4-mapped peers", () => {
    expect(clientAddress(request("::ffff:10.1.2.3", "203.0.113.5"), proxies)).toBe("203.0.113.5");
    expect(clientAddress(request("fd00::1", "2001:db8::7"), proxies)).toBe("2001:db8::7");
    expect(clientAddress(request("::ffff:198.51.100.7", "1.2.3.4"), proxies)).toBe("198.51.100.7");
  });

  it("refuses a bad proxy list naming the setting and the entry", () => {
    for (const bad of [
      "10.0.0.0/33",
      "10.0.0/8",
      "proxy.example.com",
      "10.0.0.0/",
      "::1/129",
      "1.2.3.4/8/1",
    ]) {
      expect(() => parseTrustedProxies(bad, "--trusted-proxies")).toThrow(ConfigError);
      expect(() => parseTrustedProxies(bad, "--trusted-proxies")).toThrow(`--trusted-proxies: "${bad}"`);
    }
    expect(() => serveConfig([], { METAL_APISERVER_TRUSTED_PROXIES: "10.0.0.0/40" })).toThrow(
      /^METAL_APISERVER_TRUSTED_PROXIES: "10.0.0.0\/40" is not an IP address or CIDR prefix/,
    );
    expect(serveConfig(["--trusted-proxies", "127.0.0.1,::1"], {}).trustedProxies).toBe("127.0.0.1,::1");
  });

  it("audits the forwarded client address only when the proxy is trusted", async () => {
    for (const [trusted, expected] of [
      ["127.0.0.1", "203.0.113.9"],
      ["", "127.0.0.1"],
    ] as const) {
      const server = await startTestServer({ trustedProxies: trusted });
      try {
        await seedScopes(server.ctx);
        await addUser(server.ctx, "frank");
        const token = (await server.ctx.tokens.issueUserSession("frank")).accessToken;
        const client = createClient(
          ProjectService,
          createConnectTransport({
            baseUrl: server.url,
            httpVersion: "1.1",
            interceptors: [
              bearer(token),
              (next) => (req) => {
                req.header.set("x-forwarded-for", "6.6.6.6, 203.0.113.9");
                return next(req);
              },
            ],
          }),
        );
        await client.get({ project: FOREIGN_PROJECT }).catch(() => undefined);
        let address: string | undefined;
        for (let i = 0; i < 50 && address === undefined; i++) {
          await new Promise((r) => setTimeout(r, 50));
          address = (
            await server.ctx.db.kysely
              .selectFrom("audit_log")
              .select("client_address")
              .where("user_id", "=", "frank")
              .executeTakeFirst()
          )?.client_address;
        }
        expect(address).toBe(expected);
      } finally {
        await server.close();
      }
    }
  });
});
