import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliSandbox, createCliSandbox, ROOT, runApiserver, runProgram } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";

// Runs the BUILT CLI (npm run build): help, the command tree, unknown commands, version and health.

let cli: CliSandbox;
let server: TestServer;

beforeAll(async () => {
  cli = createCliSandbox();
  server = await startTestServer();
});

afterAll(async () => {
  cli.cleanup();
  await server.close();
});

/** section returns the lines of one help section (e.g. TOPICS), headings and blank lines left out. */
function section(help: string, name: string): string[] {
  const start = help.indexOf(`\n${name}\n`);
  if (start < 0) return [];
  const rest = help.slice(start + name.length + 2);
  const end = rest.search(/\n[A-Z][A-Z ]+\n/);
  return (end < 0 ? rest : rest.slice(0, end)).split("\n").filter((l) => l.trim());
}

describe("help", () => {
  it("-h and `help TOPIC COMMAND` print what --help prints", async () => {
    const long = await cli.run(["machine", "list", "--help"]);
    expect(long.code).toBe(0);
    expect(long.stdout).toContain("List the project's machines.");
    const short = await cli.run(["machine", "list", "-h"]);
    expect(short).toEqual(long);
    const help = await cli.run(["help", "machine", "list"]);
    expect(help).toEqual(long);
    const root = await cli.run(["-h"]);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain("EXIT CODES");
    // The template functions are loaded for the root page only; it still names them.
    expect(root.stdout).toMatch(/Functions:\n.*\bhasPrefix, index\b.*\btoJson\b/);
  });

  it("gives every topic its own description, from package.json rather than from a command", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "oclif.manifest.json"), "utf8"));
    const topics = new Set<string>();
    for (const id of Object.keys(manifest.commands)) {
      const parts = id.split(":");
      for (let i = 1; i < parts.length; i++) topics.add(parts.slice(0, i).join(":"));
    }
    const described = Object.keys(pkg.oclif.topics);
    expect([...topics].filter((t) => !described.includes(t))).toEqual([]);
    const descriptions = described.map((t) => pkg.oclif.topics[t].description);
    expect(new Set(descriptions).size).toBe(descriptions.length);

    const root = await cli.run(["--help"]);
    const machineLine = section(root.stdout, "TOPICS").find((l) => l.trim().startsWith("machine "));
    expect(machineLine).toContain(pkg.oclif.topics.machine.description.slice(0, 30));
  });

  it("lists an alias only where its command is not listed", async () => {
    const machine = await cli.run(["machine", "--help"]);
    const commands = section(machine.stdout, "COMMANDS").map((l) => l.trim().split(/\s{2,}/)[0]);
    expect(commands).toContain("machine list");
    expect(commands).not.toContain("machine ls");
    expect(commands).not.toContain("machine get");
    expect(commands).not.toContain("machine rm");
    // `whoami` is the root's name for `auth status`, which the root does not list.
    const root = await cli.run(["--help"]);
    expect(section(root.stdout, "COMMANDS").some((l) => l.trim().startsWith("whoami"))).toBe(true);
  });

  it("offers the output flags only to commands that print a result", async () => {
    for (const quiet of [["project", "set"], ["machine", "power", "on"], ["logout"], ["context", "use"]]) {
      const help = await cli.run([...quiet, "--help"]);
      expect(help.code).toBe(0);
      for (const flag of ["--output", "--sort-by", "--template", "--jq"])
        expect(help.stdout).not.toContain(flag);
      expect(help.stdout).toContain("--context");
      const run = await cli.run([...quiet, "-o", "json"]);
      expect(run.code).toBe(2);
    }
    const list = await cli.run(["machine", "list", "--help"]);
    for (const flag of ["--output", "--sort-by", "--template"]) expect(list.stdout).toContain(flag);
  });
});

describe("mistakes", () => {
  it("answers an unknown command with the nearest ones, spelled with spaces, and exit 2", async () => {
    const r = await cli.run(["machine", "lst"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('unknown command "machine lst"');
    expect(r.stderr).toContain("`metalctl machine list`");
    expect(r.stderr).not.toContain("machine:");
    const far = await cli.run(["frobnicate"]);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain("see `metalctl --help`");
  });

  it("names a missing argument", async () => {
    const r = await cli.run(["machine", "describe"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: missing argument ID \(.+\) — see `--help`/);
  });
});

describe("version and health", () => {
  it("prints the client's version alone when no server is selected", async () => {
    const r = await cli.run(["version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Client: metalctl \d+\.\d+\.\d+ \(node v\d+/);
    expect(r.stdout).toContain("Server: none selected");
  });

  it("prints the server's version and health without a login", async () => {
    const env = { METALCTL_API_URL: server.url };
    const text = await cli.run(["version"], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Server: metal-apiserver `);
    expect(text.stdout).toContain(server.url);
    const json = JSON.parse((await cli.run(["version", "-o", "json"], { env })).stdout);
    expect(json.server.node).toBe(process.version);
    expect(json.client.version).toBe(json.server.version);

    const health = await cli.run(["health"], { env });
    expect(health.code).toBe(0);
    expect(health.stdout).toContain(`Server ${server.url} is healthy.`);
    expect(health.stdout).toMatch(/database\s+healthy/);
    const hj = JSON.parse((await cli.run(["health", "-o", "json"], { env })).stdout);
    expect(hj.status).toBe("healthy");
  });

  it("says the server is unreachable with exit 7", async () => {
    const r = await cli.run(["health"], { env: { METALCTL_API_URL: "http://127.0.0.1:1" } });
    expect(r.code).toBe(7);
  });
});

describe("metal-apiserver", () => {
  it("before a build, prints how to build instead of a module trace", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apiserver-unbuilt-"));
    try {
      fs.mkdirSync(path.join(dir, "bin"));
      fs.copyFileSync(path.join(ROOT, "bin/apiserver.js"), path.join(dir, "bin/apiserver.js"));
      const r = await runProgram(process.execPath, [path.join(dir, "bin/apiserver.js"), "--help"], cli.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "metal-apiserver is not built yet: run `npm run build` (or `npm start`) first.\n",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does not load the identity library for --help", async () => {
    const r = await runApiserver(["--help"], cli.env);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("Unsupported runtime");
  });
});
