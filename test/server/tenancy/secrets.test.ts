import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { createLogger } from "../../../src/server/log.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { expectCode } from "./expect-code.js";
import { type Caller, login } from "./fixture.js";

describe("invite secrets", () => {
  let server: TestServer;
  let alice: Caller;
  let bob: Caller;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startTestServer(
      { logLevel: "debug" },
      { log: createLogger("debug", (l) => lines.push(l)) },
    );
    alice = await login(server, "alice");
    bob = await login(server, "bob");
  });
  afterAll(() => server.close());

  it("are stored only as hashes and never logged, even when a call fails", async () => {
    const t = await alice.tenant.invite({ tenant: "alice", role: TenantRole.VIEWER });
    const { project } = await alice.project.create({ tenant: "alice", name: "p" });
    const p = await alice.project.invite({ project: project!.id, role: ProjectRole.VIEWER });
    await bob.tenant.inviteAccept({ secret: t.secret });
    await bob.project.inviteAccept({ secret: p.secret });
    await expectCode(bob.tenant.inviteAccept({ secret: t.secret }), Code.FailedPrecondition);

    const rows = [
      ...(await server.ctx.db.kysely.selectFrom("tenant_invites").selectAll().execute()),
      ...(await server.ctx.db.kysely.selectFrom("project_invites").selectAll().execute()),
    ];
    const stored = JSON.stringify(rows);
    expect(rows).toHaveLength(2);
    for (const secret of [t.secret, p.secret]) {
      expect(stored).not.toContain(secret.slice(4));
      expect(lines.join("\n")).not.toContain(secret.slice(4));
    }
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.secret_hash))).toBe(true);
    // the calls were logged at all, so the absence above means something
    expect(lines.some((l) => l.includes("TenantService/InviteAccept"))).toBe(true);
  });
});
