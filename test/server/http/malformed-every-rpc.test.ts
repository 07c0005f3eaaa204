import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { HealthService } from "../../../src/gen/metalstack/api/v2/health_pb.js";
import { servedServiceDescriptors } from "../../../src/server/services/index.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import { postgresAvailable } from "../../helpers/components.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import { type Framing, rawRpc } from "../../helpers/raw-rpc.js";
import type { TestServer } from "../../helpers/start-server.js";

// Every RPC the server serves, generated from the descriptors, gets malformed and oversized bodies
// with a valid operator token: the answer is always the client's fault, never a 5xx or a stack trace.
const LIMIT = 64 * 1024;
const SERVER_FAULTS = new Set<Code | "ok">([
  Code.Unknown,
  Code.Internal,
  Code.Unimplemented,
  Code.Unavailable,
  Code.DataLoss,
  Code.DeadlineExceeded,
]);
const methods = servedServiceDescriptors.flatMap((s) => s.methods);
const FRAMINGS: Framing[] = ["connect-json", "connect-proto", "grpc"];
const BODIES: Record<string, (framing: Framing) => Uint8Array> = {
  garbage: (f) => (f === "connect-json" ? Buffer.from("\u00ff{]") : new Uint8Array([0xff, 0xff, 0xff, 0xff])),
  truncated: (f) => (f === "connect-json" ? Buffer.from('{"id":') : new Uint8Array([0x0a, 0x10, 0x61])),
  "wrong types": (f) =>
    f === "connect-json" ? Buffer.from('{"id":{},"project":[1],"paging":7}') : new Uint8Array([0x0d, 0x01]),
  oversized: () => Buffer.alloc(LIMIT + 1, 0x20),
};

const withPostgres = await postgresAvailable();

describe.each([
  ["sqlite", true],
  ["postgres", withPostgres],
] as const)("malformed bodies to every RPC: %s", (dialect, available) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    if (!available) return;
    server = await startDialectServer(dialect, { maxRequestBytes: LIMIT });
    await ensureUser(server.ctx, { id: "ops", name: "ops", email: "", adminRole: AdminRole.EDITOR });
    token = (await server.ctx.tokens.issueUserSession("ops")).accessToken;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(available)(
    "answers a 4xx-class code without a stack trace, and stays healthy",
    async () => {
      const faults: string[] = [];
      let refused = 0;
      for (const m of methods) {
        for (const framing of FRAMINGS) {
          for (const [kind, body] of Object.entries(BODIES)) {
            const answer = await rawRpc(server.url, m, framing, body(framing), { token });
            if (answer.code !== "ok") refused++;
            if (SERVER_FAULTS.has(answer.code) || answer.status >= 500 || /\n\s+at /.test(answer.text)) {
              faults.push(
                `${m.parent.typeName}/${m.name} ${framing} ${kind}: ${answer.status} ${answer.code} ${answer.message}`,
              );
            }
          }
        }
      }
      expect(faults).toEqual([]);
      // The calls really happen and are refused (a few bodies decode for methods with empty requests).
      expect(refused).toBeGreaterThan(0.95 * methods.length * FRAMINGS.length * Object.keys(BODIES).length);
      expect(
        (await rawRpc(server.url, HealthService.method.get, "connect-json", Buffer.from("{}"))).code,
      ).toBe("ok");
    },
    300_000,
  );
});
