import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBrowserOpener, hasDisplay } from "../../src/cli/browser.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-browser-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** fakeBrowser is a program at the edge that records its arguments, one per line, as a browser would get them. */
function fakeBrowser(): { program: string; received: () => Promise<string[]> } {
  const out = path.join(dir, "args");
  const program = path.join(dir, "browser");
  fs.writeFileSync(
    program,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${out}.tmp"\nmv "${out}.tmp" "${out}"\n`,
    {
      mode: 0o755,
    },
  );
  return {
    program,
    async received() {
      // The browser is started detached, so its arguments arrive a moment after the opener returned.
      for (let i = 0; i < 200 && !fs.existsSync(out); i++) await new Promise((r) => setTimeout(r, 25));
      return fs.readFileSync(out, "utf8").split("\n").slice(0, -1);
    },
  };
}

describe("opening the login URL in a browser", () => {
  it("hands $BROWSER the whole URL as one argument, & and spaces included", async () => {
    const browser = fakeBrowser();
    const url = "http://127.0.0.1:8080/auth/authorize?client_id=metalctl&state=a b&redirect_uri=x";
    expect(await createBrowserOpener({ BROWSER: browser.program })(url)).toBe(true);
    expect(await browser.received()).toEqual([url]);
  });

  it("reports false when the browser cannot be started", async () => {
    const opener = createBrowserOpener({ BROWSER: path.join(dir, "no-such-browser") });
    expect(await opener("http://127.0.0.1/")).toBe(false);
  });

  it("knows where a browser can be shown", () => {
    expect(hasDisplay({ DISPLAY: ":0" }, "linux")).toBe(true);
    expect(hasDisplay({}, "linux")).toBe(false);
    expect(hasDisplay({ WSL_DISTRO_NAME: "Ubuntu" }, "linux")).toBe(true);
    expect(hasDisplay({ DISPLAY: ":0", SSH_CONNECTION: "10.0.0.1 22 10.0.0.2 22" }, "linux")).toBe(false);
    expect(hasDisplay({}, "darwin")).toBe(true);
  });
});
