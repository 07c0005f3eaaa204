import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IMAGES, DEMO_NETWORKS } from "../../src/server/dev/seed-catalog.js";
import { type CliResult, cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

let world: DemoWorld;
let env: NodeJS.ProcessEnv;
let network: string;
let partition: string;
let sizes: string[];

beforeAll(async () => {
  world = await startDemoWorld();
  env = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  partition = (
    JSON.parse((await runCli(["partition", "list", "-o", "json"], env)).stdout) as { id: string }[]
  )[0]!.id;
  sizes = (JSON.parse((await runCli(["size", "list", "-o", "json"], env)).stdout) as { id: string }[]).map(
    (s) => s.id,
  );
  const nets = await runCli(["network", "list", "-o", "json", "--type", "child"], env);
  network = (JSON.parse(nets.stdout) as { id: string }[])[0]?.id ?? "";
  if (!network) {
    const alloc = await runCli(
      ["network", "allocate", "--name", "e2e-fw-net", "--partition", partition, "-o", "json"],
      env,
    );
    network = JSON.parse(alloc.stdout).id;
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** createFirewall tries the sizes in turn until one has a waiting machine (the simulator boots them meanwhile). */
async function createFirewall(extra: string[]): Promise<CliResult> {
  let last: CliResult = { code: -1, stdout: "", stderr: "" };
  for (let round = 0; round < 100; round++) {
    for (const size of sizes) {
      last = await runCli(
        [
          "firewall",
          "create",
          "--name",
          "e2e-fw",
          "--partition",
          partition,
          "--size",
          size,
          "--image",
          DEMO_IMAGES.firewall,
          "--networks",
          `${network},${DEMO_NETWORKS.internet}`,
          ...extra,
          "-o",
          "json",
        ],
        env,
      );
      if (last.code === 0 || !/no free machine/.test(last.stderr)) return last;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return last;
}

describe("firewall commands against the dev server", () => {
  let firewallId = "";

  it("rejects a malformed rule flag before calling the server", async () => {
    const res = await runCli(
      ["firewall", "update-rules", "00000000-0000-0000-0000-000000000000", "--egress", "tcp 99999 0.0.0.0/0"],
      env,
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--egress: "99999" is not a port');
  });

  it("creates a firewall with rules from flags and a file", async () => {
    const file = path.join(world.home(), "rules.yaml");
    fs.writeFileSync(
      file,
      "ingress:\n  - protocol: tcp\n    ports: [22]\n    cidrs: [10.0.0.0/8]\n    comment: ssh\n",
    );
    const res = await createFirewall(["--egress", "tcp 80,443 0.0.0.0/0 web", "--rules-file", file]);
    expect(res.stderr).toContain("Allocated firewall");
    expect(res.code).toBe(0);
    const fw = JSON.parse(res.stdout) as {
      machine: { uuid: string; allocation: { image: string } };
      rules: { egress: { ports: number[]; comment: string }[]; ingress: { cidrs: string[] }[] };
    };
    firewallId = fw.machine.uuid;
    expect(fw.machine.allocation.image).toBe(DEMO_IMAGES.firewall);
    expect(fw.rules.egress).toMatchObject([{ ports: [80, 443], comment: "web" }]);
    expect(fw.rules.ingress).toMatchObject([{ cidrs: ["10.0.0.0/8"] }]);
  }, 120_000);

  it("lists the firewall, but not among the machines", async () => {
    const list = await runCli(["firewall", "list"], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(firewallId);
    expect(list.stdout).toContain("e2e-fw");
    const machines = await runCli(["machine", "list", "-o", "json"], env);
    expect(machines.code).toBe(0);
    expect(machines.stdout).not.toContain(firewallId);
  }, 60_000);

  it("completes firewall IDs, and machine describe points to the firewall commands", async () => {
    const completed = await runCli(["__complete", "firewall", "describe", ""], env);
    expect(completed.stdout).toContain(`${firewallId}\te2e-fw`);
    const asMachine = await runCli(["machine", "describe", firewallId], env);
    expect(asMachine.code).toBe(6);
    expect(asMachine.stderr).toContain(`metalctl firewall describe|update-rules|delete ${firewallId}`);
  }, 60_000);

  it("replaces the rules from a file and flags, rejecting unknown fields", async () => {
    const bad = path.join(world.home(), "bad.yaml");
    fs.writeFileSync(bad, "egress:\n  - protocol: tcp\n    port: [22]\n");
    const refused = await runCli(["firewall", "update-rules", firewallId, "-f", bad], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("egress[0]: unknown field port");
    const res = await runCli(
      ["firewall", "update-rules", firewallId, "--ingress", "udp 53 10.0.0.0/8 dns", "-o", "json"],
      env,
    );
    expect(res.code).toBe(0);
    const fw = JSON.parse(res.stdout) as { rules: { egress?: unknown[]; ingress: unknown[] } };
    expect(fw.rules.egress ?? []).toEqual([]);
    expect(fw.rules.ingress).toMatchObject([
      { protocol: "FIREWALL_PROTOCOL_UDP", ports: [53], comment: "dns" },
    ]);
  }, 60_000);

  it("refuses to delete without a terminal unless --yes, then deletes", async () => {
    const refused = await runCli(["firewall", "delete", firewallId], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--yes");
    const del = await runCli(["firewall", "delete", firewallId, "--yes"], env);
    expect(del.code).toBe(0);
    expect(del.stderr).toContain(`Freed firewall ${firewallId}`);
    const list = await runCli(["firewall", "list", "-o", "json"], env);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 60_000);
});
