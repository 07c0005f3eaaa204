import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AdminRole } from "../../src/gen/metalstack/api/v2/common_pb.js";
import { ProjectService } from "../../src/gen/metalstack/api/v2/project_pb.js";
import { DEMO_USER_ID } from "../../src/server/dev/seed.js";
import { ensureUser } from "../../src/server/tenancy/users.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

/** DemoWorld is a dev server (seed + simulator) with tokens for the demo user, an outsider and an admin. */
export interface DemoWorld {
  server: TestServer;
  project: string;
  demoToken: string;
  outsiderToken: string;
  adminToken: string;
  /** A fresh temporary home with XDG dirs for one CLI user. */
  home(): string;
  close(): Promise<void>;
}

/** startDemoWorld boots the server with demo data and a fast simulator, and mints user sessions. */
export async function startDemoWorld(): Promise<DemoWorld> {
  process.env.METAL_DEV_STEP_DELAY_MS = "30";
  process.env.METAL_DEV_MACHINES = "6";
  const server = await startTestServer({ dev: true });
  const ctx = server.ctx;
  await ensureUser(ctx, { id: "outsider", name: "Outsider", email: "outsider@example.com" });
  await ensureUser(ctx, {
    id: "operator",
    name: "Operator",
    email: "op@example.com",
    adminRole: AdminRole.EDITOR,
  });
  const demoToken = (await ctx.tokens.issueUserSession(DEMO_USER_ID)).accessToken;
  const outsiderToken = (await ctx.tokens.issueUserSession("outsider")).accessToken;
  const adminToken = (await ctx.tokens.issueUserSession("operator")).accessToken;
  const client = createClient(ProjectService, bearerTransport(server.url, demoToken));
  const project = (await client.list({})).projects[0]!.id;
  const homes: string[] = [];
  return {
    server,
    project,
    demoToken,
    outsiderToken,
    adminToken,
    home() {
      const h = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-home-"));
      homes.push(h);
      return h;
    },
    async close() {
      await server.close();
      for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
    },
  };
}

/** bearerTransport is a Connect transport to the test server that sends `token` with every call. */
export function bearerTransport(baseUrl: string, token: string): Transport {
  return createConnectTransport({
    baseUrl,
    httpVersion: "1.1",
    interceptors: [
      (next) => (req) => {
        req.header.set("authorization", `Bearer ${token}`);
        return next(req);
      },
    ],
  });
}
