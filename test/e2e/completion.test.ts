import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCache } from "../../src/cli/completion/cache.js";
import { CLI_BIN } from "../helpers/cli.js";

const API = "http://127.0.0.1:1";
const PROJECT = "p-complete";
let home: string;
let env: NodeJS.ProcessEnv;

function sh(shell: string, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(shell, ["-c", script], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${shell} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-completion-"));
  const bin = path.join(home, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "metalctl"), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`, {
    mode: 0o755,
  });
  env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    METALCTL_API_URL: API,
    METALCTL_PROJECT: PROJECT,
  };
  // A warm cache: the API URL points nowhere, so every dynamic value must come from here.
  writeCache(env, { apiUrl: API, project: PROJECT }, { kind: "machine", scope: "project" }, [
    { value: "11111111-aaaa", description: "web-1" },
    { value: "22222222-bbbb", description: "db 1" },
  ]);
  writeCache(env, { apiUrl: API }, { kind: "size", scope: "server" }, [
    { value: "c1-small", description: "small" },
  ]);
});

afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

const bash = (words: string[]) =>
  sh(
    "bash",
    `source <(metalctl completion bash)
COMP_WORDS=(metalctl ${words.map((w) => `"${w}"`).join(" ")}); COMP_CWORD=${words.length}
_metalctl_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
  );

// zsh's completion widgets only run inside the line editor, so _describe is replaced by a function
// that prints the candidates it was handed; everything else is the generated script as users source it.
const zsh = (words: string[]) =>
  sh(
    "zsh",
    `compdef() { :; }
_describe() { print -l -- "\${(@P)4}"; }
source <(metalctl completion zsh)
words=(metalctl ${words.map((w) => `"${w}"`).join(" ")}); CURRENT=${words.length + 1}
_metalctl`,
  );

describe("generated completion scripts in real shells", () => {
  it("zsh loads compinit itself in a fresh interactive shell with an empty .zshrc", async () => {
    const zdotdir = fs.mkdtempSync(path.join(home, "zdot-"));
    fs.writeFileSync(path.join(zdotdir, ".zshrc"), "");
    const out = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        "zsh",
        ["-i", "-c", "source <(metalctl completion zsh); print -r -- bound:$_comps[metalctl]"],
        { env: { ...env, ZDOTDIR: zdotdir }, timeout: 30_000 },
        (err, stdout, stderr) =>
          err ? reject(new Error(stderr || err.message)) : resolve({ stdout, stderr }),
      );
    });
    expect(out.stderr).not.toContain("command not found");
    expect(out.stdout.trim()).toBe("bound:_metalctl");
  }, 60_000);

  it("bash completes commands, fixed flag values and machine IDs from the cache", async () => {
    expect((await bash(["mach"])).split("\n")).toContain("machine");
    const verbs = (await bash(["machine", ""])).trim().split("\n");
    expect(verbs).toEqual(
      expect.arrayContaining(["create", "delete", "describe", "list", "update", "watch"]),
    );
    expect((await bash(["machine", "list", "--state", ""])).trim().split("\n").sort()).toEqual([
      "available",
      "locked",
      "reserved",
    ]);
    expect((await bash(["machine", "list", "-o", "ya"])).trim()).toBe("yaml");
    expect((await bash(["machine", "describe", ""])).trim().split("\n")).toEqual([
      "11111111-aaaa",
      "22222222-bbbb",
    ]);
    expect((await bash(["machine", "delete", "2"])).trim()).toBe("22222222-bbbb");
    expect((await bash(["machine", "create", "--size", ""])).trim()).toBe("c1-small");
  }, 60_000);

  it("zsh offers the same candidates with names as descriptions", async () => {
    const verbs = await zsh(["machine", ""]);
    expect(verbs).toMatch(/^describe:Show one machine\.$/m);
    expect((await zsh(["machine", "list", "--state", ""])).trim().split("\n").sort()).toEqual([
      "available",
      "locked",
      "reserved",
    ]);
    expect((await zsh(["machine", "describe", ""])).trim().split("\n")).toEqual([
      "11111111-aaaa:web-1",
      "22222222-bbbb:db 1",
    ]);
  }, 60_000);

  it("completes flag names of a command and nothing for unknown kinds", async () => {
    const flags = (await bash(["machine", "create", "--ne"])).trim().split("\n");
    expect(flags).toEqual(["--networks"]);
    expect((await bash(["machine", "create", "--name", ""])).trim()).toBe("");
  }, 60_000);

  it("fish gets a script that calls __complete", async () => {
    const script = await sh("sh", "metalctl completion fish");
    expect(script).toContain("complete -c metalctl -f -a '(__metalctl_complete)'");
    expect(script).toContain("metalctl __complete $tokens[2..-1]");
  }, 60_000);

  it("powershell gets a native argument completer over __complete (pwsh is not installed to run it)", async () => {
    const script = await sh("sh", "metalctl completion powershell");
    expect(script).toContain("Register-ArgumentCompleter -Native -CommandName 'metalctl' -ScriptBlock {");
    expect(script).toContain("& 'metalctl' __complete @words 2>$null");
    // value<TAB>description lines become completion results with the description as tooltip.
    expect(script).toContain('$value, $desc = $_ -split "\\t", 2');
    // A value with spaces is quoted for PowerShell.
    expect(script).toContain("$text = if ($value -match '\\s')");
    expect(script).toContain(
      "[System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $tip)",
    );
    // The word under the cursor is passed even when it is still empty, as bash and zsh do.
    expect(script).toContain("if ($wordToComplete -eq '')");
    expect(script.split("\n")[0]).toBe(
      "# metalctl completion for PowerShell. Install: Add-Content $PROFILE 'metalctl completion powershell | Out-String | Invoke-Expression'",
    );
  }, 60_000);
});
