import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliSandbox, ROOT } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "../helpers/start-server.js";
import { browserLoginTokens } from "../server/oauth/password-login.js";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** readmeCommand finds the README's line starting with `metalctl <command>` and returns its argv after `metalctl`. */
function readmeCommand(command: string): string[] {
  const line = README.split("\n").find((l) => l.startsWith(`metalctl ${command}`));
  expect(line, `README shows \`metalctl ${command}\``).toBeDefined();
  return line!.split("#")[0]!.trim().split(/\s+/).slice(1);
}

describe("the README's first steps on a fresh dev server", { timeout: 120_000 }, () => {
  let server: TestServer;
  let printed = "";
  const sandbox = createCliSandbox();

  beforeAll(async () => {
    process.env.METAL_DEV_STEP_DELAY_MS = "5";
    process.env.METAL_DEV_MACHINES = "3";
    server = await startTestServer(
      { dev: true },
      {
        stdout: (text) => {
          printed += text;
        },
      },
    );
  });
  afterAll(async () => {
    await server?.close();
    sandbox.cleanup();
  });

  it("logs in as the printed super-admin, selects the demo project by name and lists its machines", async () => {
    const oneTime = /one-time password\s+(\S+)/.exec(printed)?.[1] ?? "";
    expect(oneTime).not.toBe("");
    // The browser part of `metalctl login`, as the super-admin with its printed one-time password.
    const tokens = await browserLoginTokens(server.url, "admin", oneTime);
    expect(tokens.status).toBe(200);
    const login = await sandbox.run(["login", "--with-token", "--api-url", server.url], {
      input: String(tokens.body.access_token),
    });
    expect(login.code, login.stderr).toBe(0);

    const set = await sandbox.run(readmeCommand("project set"));
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toMatch(/Default project of context "[^"]+" is now demo \([0-9a-f-]{36}\)/);

    const list = await sandbox.run(["machine", "list", "-o", "json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
