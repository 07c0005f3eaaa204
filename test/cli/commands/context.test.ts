import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configDir, createConfigStore } from "../../../src/cli/config/store.js";
import { runCommand } from "../../helpers/run-command.js";

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-context-"));
  env = { HOME: home, XDG_CONFIG_HOME: path.join(home, "config") };
  createConfigStore(configDir(env)).save({
    current: "prod",
    contexts: [
      { name: "prod", apiUrl: "https://api.example.com", defaultProject: "p1" },
      { name: "lab", apiUrl: "http://127.0.0.1:8080" },
    ],
  });
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe("contexts, a resource of the local config", () => {
  it("lists, shows and switches without any API", async () => {
    const list = await runCommand(["context", "list"], { env });
    expect(list.stdout).toBe(
      "CURRENT   NAME   API URL                   PROJECT\n*         prod   https://api.example.com   p1\n          lab    http://127.0.0.1:8080\n",
    );
    const use = await runCommand(["context", "use", "lab"], { env });
    expect(use).toMatchObject({ code: 0, stdout: "", stderr: 'Switched to context "lab".\n' });
    const show = await runCommand(["context", "show", "-o", "json"], { env });
    expect(JSON.parse(show.stdout)).toEqual({ name: "lab", apiUrl: "http://127.0.0.1:8080", current: true });
    const missing = await runCommand(["context", "show", "nope"], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('context "nope" does not exist (known: prod, lab)');
  });
});
