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
    [
      "network, MAC, state, image and hostname filters",
      create(MachineQuerySchema, {
        network: "internet",
        mac: "00:1a:2b:3c:4d:5e",
        state: 2,
        image: "ubuntu",
        hostname: "h",
        labels: { app: "web", tier: "1" },
      }),
      undefined,
    ],
  ])("walks the (project, id) index with %s", async (_name, query, after) => {
    const details = await plan(query, after);
    expect(details[0]).toMatch(/^SEARCH machines USING INDEX machines_project_idx \(project=\?/);
    // Network and MAC look into the row's own JSON, no other table and no sort.
    expect(details.slice(1).every((d) => /^SCAN e .*VIRTUAL TABLE/.test(d))).toBe(true);
  });

  it("finds a machine by IP through the ips address index, then checks the project", async () => {
    const details = await plan(create(MachineQuerySchema, { ip: "10.0.0.1", partition: "p" }));
    expect(details.join("\n")).toMatch(/SEARCH ips USING (COVERING )?INDEX ips_address_idx \(address=\?\)/);
    expect(details.join("\n")).not.toMatch(/SCAN machines/);
  });

  it("narrows to a rack with the (project, rack) index", async () => {
    const details = await plan(create(MachineQuerySchema, { rack: "r1" }));
    expect(details[0]).toMatch(/^SEARCH machines USING INDEX machines_project_(rack_)?idx \(project=\?/);
    expect(details.join("\n")).not.toMatch(/SCAN machines/);
  });
});
