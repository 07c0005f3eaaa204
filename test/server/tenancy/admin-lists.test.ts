import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PagingSchema } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { listAllProjects, listAllTenants } from "../../../src/server/tenancy/admin-lists.js";
import { DIALECTS, openTestStore, type TestStore } from "../network/stores.js";
import { expectCode } from "./expect-code.js";

const paging = (pageSize: number, pageToken = "") => create(PagingSchema, { pageSize, pageToken });

// Operators page through all tenants and projects by id; filters and the cursor combine.
describe.each(DIALECTS)("operators' tenant and project lists on %s", (dialect, run) => {
  let store: TestStore;
  const db = () => store.db.kysely;

  beforeAll(async () => {
    if (!run) return;
    store = await openTestStore(dialect);
    const tenants: [string, string][] = [
      ["t1", "same"],
      ["t2", "other"],
      ["t3", "same"],
      ["t4", "same"],
      ["t5", "other"],
    ];
    for (const [id, name] of tenants) {
      await sql`insert into tenants (id, name, description, email, created_by, generation, labels, created_at,
        updated_at) values (${id}, ${name}, '', '', 'u', 1, '{}', '', '')`.execute(db());
    }
    const projects: [string, string][] = [
      ["p1", "t1"],
      ["p2", "t2"],
      ["p3", "t1"],
      ["p4", "t1"],
    ];
    for (const [id, tenant] of projects) {
      await sql`insert into projects (id, tenant_id, name, description, generation, labels, created_at,
        updated_at) values (${id}, ${tenant}, ${id}, '', 1, '{}', '', '')`.execute(db());
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  /** pages follows next-page tokens from the first page and returns the ids of every page. */
  async function pages(
    list: (p: ReturnType<typeof paging>) => Promise<{ items: { id: string }[]; nextPageToken: string }>,
    size: number,
  ) {
    const seen: string[][] = [];
    let token = "";
    do {
      const page = await list(paging(size, token));
      seen.push(page.items.map((i) => i.id));
      token = page.nextPageToken;
    } while (token && seen.length < 10);
    return seen;
  }

  it.runIf(run)("pages tenants by id with filters applied on every page", async () => {
    expect(await pages((p) => listAllTenants(db(), {}, p), 2)).toEqual([["t1", "t2"], ["t3", "t4"], ["t5"]]);
    expect(await pages((p) => listAllTenants(db(), { name: "same" }, p), 2)).toEqual([["t1", "t3"], ["t4"]]);
    expect(await pages((p) => listAllTenants(db(), { id: "t3", name: "same" }, p), 2)).toEqual([["t3"]]);
    expect(await pages((p) => listAllTenants(db(), { id: "t3", name: "other" }, p), 2)).toEqual([[]]);
    // A page that ends exactly at the last row has no next page.
    const whole = await listAllTenants(db(), { name: "other" }, paging(2));
    expect(whole).toEqual({
      items: [expect.objectContaining({ id: "t2" }), expect.objectContaining({ id: "t5" })],
      nextPageToken: "",
    });
    const token = (await listAllTenants(db(), {}, paging(1))).nextPageToken;
    expect(token).toBe(Buffer.from("t1").toString("base64url"));
    expect((await listAllTenants(db(), {}, undefined)).items.map((t) => t.id)).toEqual([
      "t1",
      "t2",
      "t3",
      "t4",
      "t5",
    ]);
  });

  it.runIf(run)("pages projects by id, optionally of one tenant", async () => {
    expect(await pages((p) => listAllProjects(db(), {}, p), 3)).toEqual([["p1", "p2", "p3"], ["p4"]]);
    expect(await pages((p) => listAllProjects(db(), { tenant: "t1" }, p), 2)).toEqual([["p1", "p3"], ["p4"]]);
    const t2 = await listAllProjects(db(), { tenant: "t2" }, undefined);
    expect(t2.items.map((p) => [p.id, p.tenant_id])).toEqual([["p2", "t2"]]);
    expect((await listAllProjects(db(), { tenant: "none" }, undefined)).items).toEqual([]);
  });

  it.runIf(run)("refuses page sizes over 1000 and tokens it did not hand out", async () => {
    for (const list of [
      (p: ReturnType<typeof paging>) => listAllTenants(db(), {}, p),
      (p: ReturnType<typeof paging>) => listAllProjects(db(), {}, p),
    ]) {
      await expectCode(list(paging(1001)), Code.InvalidArgument, /^paging\.page_size: must be at most 1000$/);
      expect((await list(paging(1000))).nextPageToken).toBe("");
      // "dDE" is t1's token; padded, it is no longer the one handed out.
      await expect(list(paging(1, "dDE"))).resolves.toBeDefined();
      for (const bad of ["%%%", "dDE="]) {
        await expectCode(
          list(paging(2, bad)),
          Code.InvalidArgument,
          /^paging\.page_token: is not a token from a previous response; start without one$/,
        );
      }
    }
  });
});
