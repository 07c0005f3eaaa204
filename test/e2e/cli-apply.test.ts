import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

let world: DemoWorld;
let demo: NodeJS.ProcessEnv;
let admin: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  world = await startDemoWorld();
  demo = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  admin = cliEnv(world.home(), world.server.url, world.adminToken);
  dir = world.home();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** file writes YAML documents (joined by ---) to a file and returns its path. */
function file(name: string, ...docs: string[]): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, docs.join("---\n"));
  return p;
}

const net = (extra = "") =>
  `kind: network\nname: apply-net\npartition: fra-equ01\ndescription: backend\n${extra}`;
const ipDoc = (name: string, address: string, extra = "") =>
  `kind: ip\nname: ${name}\nnetwork: internet\nip: ${address}\n${extra}`;

async function describeJson(args: string[]) {
  const res = await runCli([...args, "-o", "json"], demo);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout);
}

describe("metalctl apply", () => {
  it("creates what is missing, then finds it again by name and leaves it unchanged", async () => {
    const f = file("create.yaml", net("meta:\n  labels: {team: a}\n"), ipDoc("apply-gw", "203.0.113.40"));
    const first = await runCli(["apply", "-f", f], demo);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^network \S+ \(apply-net\) created$/);
    expect(lines[1]).toMatch(/^ip \S+ \(apply-gw\) created$/);

    const again = await runCli(["apply", "-f", f, "-o", "json"], demo);
    expect(again.code, again.stderr).toBe(0);
    const results = JSON.parse(again.stdout) as { kind: string; result: string; id: string }[];
    expect(results.map((r) => `${r.kind} ${r.result}`)).toEqual(["network unchanged", "ip unchanged"]);
    const networks = (await describeJson(["network", "list", "--name", "apply-net"])) as unknown[];
    expect(networks).toHaveLength(1);
  }, 60_000);

  it("updates only the fields that differ, and --dry-run changes nothing", async () => {
    const changed = file(
      "update.yaml",
      net("meta:\n  labels: {team: b, tier: web}\n").replace("backend", "backend v2"),
      ipDoc("apply-gw", "203.0.113.40", "type: IP_TYPE_STATIC\n"),
    );
    const dry = await runCli(["apply", "-f", changed, "--dry-run"], demo);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^network \S+ \(apply-net\) would be updated: description, meta.labels$/m);
    expect(dry.stdout).toMatch(/^ip \S+ \(apply-gw\) would be updated: type$/m);
    const [before] = (await describeJson(["network", "list", "--name", "apply-net"])) as {
      description: string;
      meta: { generation: string };
    }[];
    expect(before!.description).toBe("backend");

    const res = await runCli(["apply", "-f", changed], demo);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^network \S+ \(apply-net\) updated: description, meta.labels$/m);
    const [after] = (await describeJson(["network", "list", "--name", "apply-net"])) as {
      description: string;
      meta: { generation: string; labels: Record<string, string> };
    }[];
    expect(after!.description).toBe("backend v2");
    expect(after!.meta.labels).toEqual({ team: "b", tier: "web" });
    expect(BigInt(after!.meta.generation)).toBeGreaterThan(BigInt(before!.meta.generation));
  }, 60_000);

  it("stops at the first failing document unless --continue-on-error", async () => {
    const f = file(
      "failing.yaml",
      ipDoc("apply-ok", "203.0.113.41"),
      "kind: ip\nname: apply-bad\nnetwork: no-such-network\n",
      ipDoc("apply-late", "203.0.113.42"),
    );
    const stopped = await runCli(["apply", "-f", f], demo);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stdout.trim().split("\n")).toHaveLength(1);
    expect(stopped.stderr).toContain(`${f}: document 2 (ip, line 6)`);
    expect((await describeJson(["ip", "list", "--name", "apply-late"])) as unknown[]).toHaveLength(0);

    const cont = await runCli(["apply", "-f", f, "--continue-on-error"], demo);
    expect(cont.code).toBe(stopped.code);
    expect(cont.stdout).toMatch(/^ip \S+ \(apply-ok\) unchanged$/m);
    expect(cont.stdout).toMatch(/^ip failed: /m);
    expect(cont.stdout).toMatch(/^ip \S+ \(apply-late\) created$/m);
    expect(cont.stderr).toContain("1 of 3 documents failed");
  }, 60_000);

  it("reads the documents from stdin with -f -", async () => {
    const res = await runCli(["apply", "-f", "-"], demo, ipDoc("apply-stdin", "203.0.113.43"));
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^ip \S+ \(apply-stdin\) created\n$/);
  }, 60_000);

  it("refuses broken YAML at its line and column before applying anything (exit 2)", async () => {
    const f = file("broken.yaml", ipDoc("apply-never", "203.0.113.44"), "kind: ip\nname: [unclosed\n");
    const res = await runCli(["apply", "-f", f], demo);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`^Error: ${f.replace(/[.]/g, "\\.")}:8:1: `));
    expect(res.stdout).toBe("");
    expect((await describeJson(["ip", "list", "--name", "apply-never"])) as unknown[]).toHaveLength(0);
  }, 60_000);
});

describe("metalctl admin apply", () => {
  it("creates, re-applies and updates global kinds under their IDs", async () => {
    const docs = [
      "kind: partition\nid: apply-part\ndescription: applied\nbootConfiguration:\n  imageUrl: http://images.example/p.tar\n",
      "kind: size\nid: apply-size\nname: applied size\nconstraints:\n  - {type: SIZE_CONSTRAINT_TYPE_CORES, min: 4, max: 4}\n",
    ];
    const f = file("admin.yaml", ...docs);
    const first = await runCli(["admin", "apply", "-f", f], admin);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe("partition apply-part created\nsize apply-size (applied size) created\n");
    const again = await runCli(["admin", "apply", "-f", f], admin);
    expect(again.stdout).toBe("partition apply-part unchanged\nsize apply-size (applied size) unchanged\n");
    const changed = file("admin2.yaml", docs[0]!.replace("applied\n", "applied twice\n"));
    const upd = await runCli(["admin", "apply", "-f", changed], admin);
    expect(upd.stdout).toBe("partition apply-part updated: description\n");
    const part = await runCli(["partition", "describe", "apply-part", "-o", "json"], demo);
    expect(JSON.parse(part.stdout).description).toBe("applied twice");
  }, 60_000);
});

/** keyRemover is an EDITOR script that deletes the top-level `key:` of the YAML file, with its indented block. */
function keyRemover(key: string): string {
  const p = path.join(dir, `remove-${key}.sh`);
  fs.writeFileSync(p, `#!/bin/sh\nsed -i '/^${key}:/,/^[^ ]/{/^${key}:/d;/^ /d}' "$1"\n`, { mode: 0o700 });
  return p;
}

/** EDITOR is a script that replaces the description of the file it is given (or adds one). */
function descriptionEditor(): string {
  const p = path.join(dir, "describe-editor.sh");
  fs.writeFileSync(
    p,
    `#!/bin/sh\nsed -i '/^description:/d' "$1"\nsed -i '1i description: edited here' "$1"\n`,
    {
      mode: 0o700,
    },
  );
  return p;
}

describe("edit through the shared verb", () => {
  it("changes the description of a network, project, tenant, partition and base network", async () => {
    const netId = ((await describeJson(["network", "list", "--name", "apply-net"])) as { id: string }[])[0]!
      .id;
    const tenantId = ((await describeJson(["tenant", "list"])) as { id: string }[])[0]!.id;
    const cases: [NodeJS.ProcessEnv, string[], string[]][] = [
      [demo, ["network", "edit", netId], ["network", "describe", netId]],
      [demo, ["project", "edit", world.project], ["project", "describe", world.project]],
      [demo, ["tenant", "edit", tenantId], ["tenant", "describe", tenantId]],
      [admin, ["admin", "partition", "edit", "fra-equ01"], ["partition", "describe", "fra-equ01"]],
      [admin, ["admin", "network", "edit", "internet"], ["network", "describe", "internet"]],
    ];
    for (const [env, edit, show] of cases) {
      const res = await runCli(edit, { ...env, EDITOR: descriptionEditor() });
      expect(res.code, `${edit.join(" ")}: ${res.stderr}`).toBe(0);
      expect(res.stderr).toMatch(/ updated: description\n$/);
      const after = await runCli([...show, "-o", "json"], demo);
      expect(JSON.parse(after.stdout).description, show.join(" ")).toBe("edited here");
    }
  }, 120_000);

  it("takes a deleted optional boolean as false, and refuses to delete a message field, naming it", async () => {
    const show = async () =>
      JSON.parse((await runCli(["network", "describe", "internet", "-o", "json"], demo)).stdout);
    expect((await show()).nat).toBe(true);
    const off = await runCli(["admin", "network", "edit", "internet"], {
      ...admin,
      EDITOR: keyRemover("nat"),
    });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stderr).toMatch(/ updated: nat\n$/);
    expect((await show()).nat).toBeUndefined();
    const part = await runCli(["admin", "partition", "edit", "fra-equ01"], {
      ...admin,
      EDITOR: keyRemover("bootConfiguration"),
    });
    expect(part.code).toBe(2);
    expect(part.stderr).toContain("bootConfiguration cannot be removed");
    expect(
      (await runCli(["admin", "apply", "-f", "-"], admin, "kind: network\nid: internet\nnat: true\n")).code,
    ).toBe(0);
    expect((await show()).nat).toBe(true);
  }, 60_000);
});
