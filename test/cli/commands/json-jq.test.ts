import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IPSchema, IPService, IPType } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { PartitionSchema, PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

const ips = [
  create(IPSchema, {
    id: "ip-1",
    ip: "203.0.113.7",
    name: "web",
    project: "11111111-1111-4111-8111-111111111111",
    type: IPType.IP_TYPE_STATIC,
  }),
  create(IPSchema, {
    id: "ip-2",
    ip: "203.0.113.8",
    name: "db",
    project: "11111111-1111-4111-8111-111111111111",
    type: IPType.IP_TYPE_EPHEMERAL,
    meta: { labels: { team: "a" } },
  }),
];

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-json-"));
  env = {
    HOME: home,
    METALCTL_API_URL: "http://127.0.0.1:1",
    METALCTL_PROJECT: "11111111-1111-4111-8111-111111111111",
  };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function api() {
  return fakeApi((router) => {
    router.service(IPService, {
      list: () => ({ ips }),
      get: (req) => ({ ip: ips.find((i) => i.id === req.id) }),
    });
    router.service(PartitionService, {
      list: () => ({ partitions: [create(PartitionSchema, { id: "fra", description: "Frankfurt" })] }),
    });
  });
}

const run = (words: string[]) => runCommand(words, { env, transport: api().transport });

describe("--json and --jq on list, describe and api", () => {
  it("selects fields of every item, sorted like the table", async () => {
    const out = await run(["ip", "list", "--json", "ip,name,meta.labels", "--sort-by", "name"]);
    expect(out).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(out.stdout)).toEqual([
      { ip: "203.0.113.8", name: "db", meta: { labels: { team: "a" } } },
      { ip: "203.0.113.7", name: "web", meta: { labels: null } },
    ]);
  });

  it("selects fields of one item on describe", async () => {
    const out = await run(["ip", "describe", "ip-1", "--json", "name,type"]);
    expect(JSON.parse(out.stdout)).toEqual({ name: "web", type: "IP_TYPE_STATIC" });
  });

  it("lists the fields when --json has none, also before another flag", async () => {
    for (const words of [
      ["ip", "list", "--json"],
      ["ip", "list", "--json", "--sort-by", "name"],
    ]) {
      const out = await run(words);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe("");
      expect(out.stderr).toContain("--json needs the fields to print");
      expect(out.stderr).toContain(
        "available fields: description, id, ip, machineId, meta, name, network, project, type",
      );
    }
  });

  it("names a field that does not exist", async () => {
    const out = await run(["ip", "list", "--json", "ip,colour"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--json: unknown field "colour"');
  });

  it("filters with jq, alone or after --json", async () => {
    expect((await run(["ip", "list", "--jq", '.[] | select(.type == "IP_TYPE_STATIC") | .ip'])).stdout).toBe(
      "203.0.113.7\n",
    );
    expect((await run(["ip", "list", "--json", "name", "--jq", 'map(.name) | join(",")'])).stdout).toBe(
      "web,db\n",
    );
    expect((await run(["ip", "describe", "ip-2", "--jq", ".meta.labels.team"])).stdout).toBe("a\n");
  });

  it("filters api responses with jq", async () => {
    const out = await run([
      "api",
      "metalstack.api.v2.PartitionService/List",
      "--jq",
      ".partitions[].description",
    ]);
    expect(out).toMatchObject({ code: 0, stdout: "Frankfurt\n" });
  });

  it("refuses a jq program jq cannot compile, and -o formats other than json", async () => {
    const bad = await run(["ip", "list", "--jq", ".[] | nosuch"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--jq: nosuch/0 is not defined at <top-level>, line 1, column 7");
    const yaml = await run(["ip", "list", "--json", "id", "-o", "yaml"]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toContain("--json and --jq print JSON; leave out -o yaml");
  });
});
