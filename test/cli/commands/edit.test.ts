import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { create, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  FirewallProtocol,
  FirewallSchema,
  FirewallService,
  type FirewallServiceUpdateRulesRequest,
  FirewallServiceUpdateRulesRequestSchema,
} from "../../../src/gen/metalstack/api/v2/firewall_pb.js";
import {
  type IP,
  IPSchema,
  IPService,
  type IPServiceUpdateRequest,
  IPServiceUpdateRequestSchema,
  IPType,
} from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-edit-"));
  env = {
    HOME: home,
    METALCTL_API_URL: "http://127.0.0.1:1",
    METALCTL_PROJECT: "11111111-1111-4111-8111-111111111111",
    PATH: process.env.PATH,
  };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const stored = create(IPSchema, {
  id: "33333333-3333-4333-8333-333333333333",
  ip: "203.0.113.7",
  name: "web",
  project: "11111111-1111-4111-8111-111111111111",
  type: IPType.IP_TYPE_EPHEMERAL,
  meta: { generation: 4n, labels: { team: "a" } },
});

/** api serves the IP; an update naming another generation than the stored one is refused like the server does. */
function api() {
  const updates: IPServiceUpdateRequest[] = [];
  const fake = fakeApi((router) =>
    router.service(IPService, {
      get: () => ({ ip: stored }),
      update: (req) => {
        updates.push(req);
        if (req.updateMeta?.generation !== 4n) {
          throw new ConnectError(
            "ip 33333333-3333-4333-8333-333333333333 was changed by someone else; read it again",
            Code.FailedPrecondition,
          );
        }
        return { ip: create(IPSchema, { ...stored, name: req.name ?? stored.name }) as IP };
      },
    }),
  );
  return { ...fake, updates };
}

/** editor writes a script that edits the file it is given with `sed` expressions (none: leaves it). */
function editor(...sed: string[]): string {
  const file = path.join(home, "editor.sh");
  const body = sed.length ? sed.map((e) => `sed -i '${e}' "$1"`).join("\n") : "true";
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o700 });
  return file;
}

describe("ip edit", () => {
  it("sends only what changed, with the generation it read", async () => {
    const { transport, updates } = api();
    const out = await runCommand(["ip", "edit", "33333333-3333-4333-8333-333333333333", "-o", "json"], {
      env: {
        ...env,
        EDITOR: editor("s/^name: web$/name: gateway/", 's/^    team: a$/    team: b\\n    tier: "1"/'),
      },
      transport,
    });
    expect(out.stderr).toBe("IP 33333333-3333-4333-8333-333333333333 updated: name, meta.labels\n");
    expect(out.code).toBe(0);
    expect(updates.map((u) => toJson(IPServiceUpdateRequestSchema, u))).toEqual([
      {
        project: "11111111-1111-4111-8111-111111111111",
        id: "33333333-3333-4333-8333-333333333333",
        updateMeta: { generation: "4" },
        name: "gateway",
        labels: { update: { team: "b", tier: "1" } },
      },
    ]);
    expect(JSON.parse(out.stdout).name).toBe("gateway");
  });

  it("sends nothing when nothing changed", async () => {
    const { transport, calls } = api();
    const out = await runCommand(["ip", "edit", "33333333-3333-4333-8333-333333333333"], {
      env: { ...env, VISUAL: editor() },
      transport,
    });
    expect(out).toMatchObject({
      code: 0,
      stdout: "",
      stderr: "IP 33333333-3333-4333-8333-333333333333: nothing changed\n",
    });
    expect(calls.map((c) => c.method)).toEqual(["IPService/Get"]);
  });

  it("keeps the edited file when someone else changed the IP meanwhile (exit 6)", async () => {
    const out = await runCommand(["ip", "edit", "33333333-3333-4333-8333-333333333333"], {
      env: { ...env, EDITOR: editor("s/^name: web$/name: mine/") },
      transport: fakeApi((router) =>
        router.service(IPService, {
          get: () => ({ ip: stored }),
          update: () => {
            throw new ConnectError(
              "ip 33333333-3333-4333-8333-333333333333 was changed by someone else; read it again",
              Code.FailedPrecondition,
            );
          },
        }),
      ).transport,
    });
    expect(out.code).toBe(6);
    const kept = /your edit is kept in (\S+\.yaml)/.exec(out.stderr)?.[1];
    expect(kept).toBeDefined();
    expect(fs.readFileSync(kept!, "utf8")).toContain("name: mine");
    fs.rmSync(path.dirname(kept!), { recursive: true, force: true });
  });

  it("refuses fields the update cannot change, and keeps the file", async () => {
    const { transport, calls } = api();
    const out = await runCommand(["ip", "edit", "33333333-3333-4333-8333-333333333333"], {
      env: { ...env, EDITOR: editor("s/203.0.113.7/203.0.113.9/") },
      transport,
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("ip cannot be changed here");
    expect(out.stderr).toContain("your edit is kept in");
    expect(calls.map((c) => c.method)).toEqual(["IPService/Get"]);
    fs.rmSync(path.dirname(/kept in (\S+\.yaml)/.exec(out.stderr)![1]!), { recursive: true, force: true });
  });
});

describe("firewall edit", () => {
  it("replaces the rules through UpdateRules, guarded by the rules generation", async () => {
    const firewall = create(FirewallSchema, {
      machine: {
        uuid: "44444444-4444-4444-8444-444444444444",
        meta: { generation: 9n },
        allocation: { name: "edge" },
      },
      rules: { egress: [{ protocol: FirewallProtocol.TCP, ports: [443], cidrs: ["0.0.0.0/0"] }] },
      rulesGeneration: 3n,
    });
    const sent: FirewallServiceUpdateRulesRequest[] = [];
    const out = await runCommand(["firewall", "edit", "44444444-4444-4444-8444-444444444444"], {
      env: { ...env, EDITOR: editor("s/- 443$/- 8443/") },
      transport: fakeApi((router) =>
        router.service(FirewallService, {
          get: () => ({ firewall }),
          updateRules: (req) => {
            sent.push(req);
            return { firewall: create(FirewallSchema, { ...firewall, rules: req.rules }) };
          },
        }),
      ).transport,
    });
    expect(out.stderr).toBe("firewall 44444444-4444-4444-8444-444444444444 updated: rules\n");
    expect(sent.map((r) => toJson(FirewallServiceUpdateRulesRequestSchema, r))).toEqual([
      {
        project: "11111111-1111-4111-8111-111111111111",
        uuid: "44444444-4444-4444-8444-444444444444",
        updateMeta: { generation: "3" },
        rules: { egress: [{ protocol: "FIREWALL_PROTOCOL_TCP", ports: [8443], cidrs: ["0.0.0.0/0"] }] },
      },
    ]);
  });
});
