import net from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, describe, expect, it } from "vitest";
import { createTransport } from "../../src/cli/api/transport.js";
import { ExitCode, permissionHint, toCliError } from "../../src/cli/errors.js";
import { HealthService } from "../../src/gen/metalstack/api/v2/health_pb.js";

describe("permissionHint", () => {
  it("sends a missing role to an owner of the project or tenant", () => {
    expect(permissionHint('project role OWNER or EDITOR on project "p1"')).toBe(
      'ask an owner for project role OWNER or EDITOR on project "p1"',
    );
  });

  it("tells API-token users how to get the method instead of asking for a role", () => {
    const hint = permissionHint(
      "the API token to be granted /metalstack.api.v2.ProjectService/List explicitly",
    );
    expect(hint).toMatch(/^the token lacks this grant: create one that has it \(metalctl token create/);
    expect(hint).not.toContain("ask an owner");
  });
});

describe("an expired or revoked token", () => {
  it("says how to recover once, not in the server's words and again in the hint", () => {
    const e = toCliError(
      new ConnectError(
        "token expired; log in again (metalctl login) or use a valid API token",
        Code.Unauthenticated,
      ),
    );
    expect(e.exitCode).toBe(ExitCode.unauthenticated);
    expect(e.message).toBe("token expired");
    expect(`${e.message} — ${e.hint}`.match(/metalctl login/g)).toHaveLength(1);
  });
});

describe("a dropped connection", () => {
  // Loopback servers that accept the request and then break the connection in different ways.
  const droppers: Record<string, (socket: net.Socket) => void> = {
    "closes without answering (socket hang up)": (s) => s.destroy(),
    "resets the connection (ECONNRESET)": (s) => s.resetAndDestroy(),
    "breaks off in the middle of the answer": (s) =>
      s.end("HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\ncontent-length: 100\r\n\r\n{"),
  };
  const servers: net.Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  async function listen(drop: (socket: net.Socket) => void): Promise<string> {
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => drop(socket));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  }

  for (const [how, drop] of Object.entries(droppers)) {
    it(`is "server unavailable" (exit 7), not a conflict, when the server ${how}`, async () => {
      const baseUrl = await listen(drop);
      const client = createClient(
        HealthService,
        createTransport({ baseUrl, userAgent: "test", timeoutMs: 5000 }),
      );
      const err = await client.get({}).then(
        () => undefined,
        (e: unknown) => e,
      );
      const cli = toCliError(err);
      expect(cli.exitCode).toBe(ExitCode.unavailable);
      expect(cli.message).toMatch(/API server/);
      expect(cli.hint).toContain("retry");
    });
  }

  it("keeps a conflict the server reports as exit 6", () => {
    const cli = toCliError(new ConnectError("changed by someone else", Code.Aborted));
    expect(cli.exitCode).toBe(ExitCode.conflict);
  });
});
