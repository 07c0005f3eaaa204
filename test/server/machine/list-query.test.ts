import { create } from "@bufbuild/protobuf";
import { CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachineQuerySchema } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { machineListQuery } from "../../../src/server/machines/machine-queries.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";

// The SQLite plan is deterministic without statistics, so this pins down that a project's list is an
// index range scan in id order (no full scan, no sort) whatever the filters; the benchmark measures it.
describe("project machine list query plan (SQLite)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ databaseUrl: "" });
  });
  afterAll(() => server?.close());

  const plan = async (query: Parameters<typeof machineListQuery>[3], after?: string) => {
    const compiled = machineListQuery(
      server.ctx.db.kysely,
      "sqlite",
      { project: "p" },
      query,
      after,
      51,
    ).compile();
    const { rows } = await server.ctx.db.kysely.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    return rows.map((r) => r.detail);
  };

  it.each([
    ["no filter", undefined, undefined],
    ["a page after a cursor", undefined, "00000000-0000-0000-0000-000000000000"],
    [
      "size and name filters",
      create(MachineQuerySchema, { size: "s", name: "n", partition: "p" }),
      undefined,
    ],
    ["a label filter", create(MachineQuerySchema, { labels: { app: "web" } }), undefined],
  ])("walks the (project, id) index with %s", async (_name, query, after) => {
    const details = await plan(query, after);
    expect(details).toHaveLength(1);
    expect(details[0]).toMatch(/^SEARCH machines USING INDEX machines_project_idx \(project=\?/);
  });
});
