import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli } from "../helpers/cli.js";
import { type DemoWorld, startDemoWorld } from "./cli-resources-harness.js";

let world: DemoWorld;
let user: NodeJS.ProcessEnv;
let admin: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startDemoWorld();
  user = cliEnv(world.home(), world.server.url, world.demoToken, world.project);
  admin = cliEnv(world.home(), world.server.url, world.adminToken);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function json<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const res = await runCli([...args, "-o", "json"], env);
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as T;
}

interface Row {
  partition: string;
  size: string;
  total: number;
  free: number;
  allocated: number;
  reserved?: number;
  locked?: number;
  faulty?: number;
  lockedMachines?: string[];
}

describe("partition capacity", () => {
  it("counts every machine once per partition and size, users seeing the totals", async () => {
    const machines = await json<{ uuid: string; partition: string; size: string }[]>(
      ["admin", "machine", "list"],
      admin,
    );
    const rows = await json<Row[]>(["partition", "capacity"], user);
    expect(rows.reduce((n, r) => n + r.total, 0)).toBe(machines.length);
    for (const r of rows) {
      expect(r.free + r.allocated).toBeLessThanOrEqual(r.total);
      expect(r).not.toHaveProperty("faulty");
    }
    const one = rows[0]!.partition;
    const only = await json<Row[]>(["partition", "capacity", one], user);
    expect(only.every((r) => r.partition === one)).toBe(true);

    const table = await runCli(["partition", "capacity"], user);
    expect(table.stdout.split("\n")[0]).toMatch(/^PARTITION\s+SIZE\s+TOTAL\s+FREE\s+ALLOCATED$/);
  });

  it("shows operators reserved, locked and faulty, naming the machines with -o wide", async () => {
    const [m] = await json<{ uuid: string; partition: string; size: string }[]>(
      ["admin", "machine", "list"],
      admin,
    );
    expect(
      (await runCli(["admin", "machine", "lock", m!.uuid, "--reason", "capacity test"], admin)).code,
    ).toBe(0);
    const rows = await json<Row[]>(["admin", "partition", "capacity", m!.partition], admin);
    const row = rows.find((r) => r.size === m!.size)!;
    expect(row.locked).toBeGreaterThanOrEqual(1);
    expect(row.lockedMachines).toContain(m!.uuid);
    const wide = await runCli(["admin", "partition", "capacity", "-o", "wide"], admin);
    expect(wide.stdout.split("\n")[0]).toMatch(/RESERVED\s+LOCKED\s+FAULTY\s+RESERVED MACHINES/);
    expect(wide.stdout).toContain(m!.uuid);
    expect((await runCli(["admin", "machine", "unlock", m!.uuid], admin)).code).toBe(0);
  });

  it("is refused to users who are not operators, and names an unknown partition", async () => {
    expect((await runCli(["admin", "partition", "capacity"], user)).code).toBe(4);
    const res = await runCli(["partition", "capacity", "no-such-partition"], user);
    expect(res.code).toBe(5);
  });
});

describe("admin size suggest", () => {
  it("prints a size whose YAML admin size create -f takes, and the created size fits the machine", async () => {
    const [m] = await json<{ uuid: string }[]>(["admin", "machine", "list"], admin);
    const suggested = await runCli(
      ["admin", "size", "suggest", m!.uuid, "--id", "e2e-suggested", "-o", "yaml"],
      admin,
    );
    expect(suggested.code).toBe(0);
    expect(suggested.stdout).toContain("id: e2e-suggested");
    expect(suggested.stdout).toMatch(/type: SIZE_CONSTRAINT_TYPE_CORES/);
    const file = path.join(world.home(), "size.yaml");
    fs.writeFileSync(file, suggested.stdout);

    const created = await json<{ id: string; constraints: unknown[] }>(
      ["admin", "size", "create", "-f", file],
      admin,
    );
    expect(created.id).toBe("e2e-suggested");
    const described = await json<{ constraints: unknown[] }>(["size", "describe", "e2e-suggested"], user);
    expect(described.constraints).toEqual(created.constraints);

    const again = await runCli(["admin", "size", "suggest", m!.uuid, "--id", "other"], admin);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("The machine already fits:");
    expect(again.stderr).toContain("e2e-suggested");
  });

  it("names an unknown machine", async () => {
    const res = await runCli(["admin", "size", "suggest", "00000000-0000-0000-0000-00000000dead"], admin);
    expect(res.code).toBe(5);
  });
});
