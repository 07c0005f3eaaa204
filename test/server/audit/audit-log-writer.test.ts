import { describe, expect, it } from "vitest";
import { createAuditLogWriter, PENDING_CODE } from "../../../src/server/audit/audit-log-writer.js";
import { silentLogger } from "../../../src/server/log.js";
import type { AuditLogRow } from "../../../src/server/store/token-schema.js";
import { DIALECTS, openTestStore } from "../network/stores.js";

function row(i: number, code = "ok"): AuditLogRow {
  const id = `0190aaaa-0000-7000-8000-${String(i).padStart(12, "0")}`;
  return {
    id,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
    user_id: `user-${i % 7}`,
    token_id: `token-${i % 3}`,
    method: "/metalstack.api.v2.ProjectService/Get",
    subject: `project-${i % 5}`,
    tenant: `tenant-${i % 2}`,
    project: `project-${i % 5}`,
    request_id: i % 4 === 0 ? `req-${i}` : id,
    code,
    duration_ms: i % 1000,
    client_address: "127.0.0.1",
    request: JSON.stringify({ project: `project-${i % 5}`, note: `it's "${i}"` }),
  };
}

describe.each(DIALECTS)("the audit log writer on %s", (dialect, run) => {
  it.runIf(run)(
    "writes every row of a burst, each outcome over its pending row, by close at the latest",
    async () => {
      const store = await openTestStore(dialect);
      try {
        const writer = createAuditLogWriter(store.db, () => silentLogger);
        // Calls that change something store a pending row first; their outcome follows in a later batch.
        await Promise.all([1, 2, 3].map((i) => writer.store(row(i, PENDING_CODE))));
        // More rows than one batch holds, queued at once, with outcomes of the pending rows among them.
        const burst = Array.from({ length: 1_234 }, (_, i) =>
          row(i + 1, i % 9 === 0 ? "permission_denied" : "ok"),
        );
        for (const r of burst) writer.record(r);
        expect(await writer.close(Date.now() + 30_000)).toBe(0);

        const stored = await store.db.kysely.selectFrom("audit_log").selectAll().orderBy("id").execute();
        expect(stored).toHaveLength(burst.length);
        expect(stored.map((r) => ({ ...r, duration_ms: Number(r.duration_ms) }))).toEqual(
          [...burst].sort((a, b) => a.id.localeCompare(b.id)),
        );
      } finally {
        await store.close();
      }
    },
  );
});
