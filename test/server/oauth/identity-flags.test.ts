import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { serveConfig } from "../../../src/server/main.js";

describe("login flags", () => {
  it("reads LDAP and claim settings, secrets only from files or variables", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-flags-"));
    const secretFile = path.join(dir, "bind");
    fs.writeFileSync(secretFile, "Bind-Secret-1\n");
    const cfg = serveConfig(
      [
        "--ldap-url",
        "ldaps://ldap.example.org",
        "--ldap-user-base-dn",
        "ou=people,dc=example,dc=org",
        "--ldap-bind-dn",
        "cn=svc,dc=example,dc=org",
        "--ldap-bind-password-file",
        secretFile,
        "--group-roles",
        "ops=editor, audit=viewer",
        "--device-poll-interval",
        "2",
      ],
      { METAL_APISERVER_OIDC_CLIENT_SECRET: "from-env", METAL_APISERVER_OIDC_USER_PREFIX: "corp:" },
    );
    expect(cfg.identity.ldap.url).toBe("ldaps://ldap.example.org");
    expect(cfg.identity.ldap.bindPassword).toBe("Bind-Secret-1");
    expect(cfg.identity.groupRoles).toEqual({ ops: "editor", audit: "viewer" });
    expect(cfg.identity.devicePollIntervalSeconds).toBe(2);
    expect(cfg.identity.clientSecret).toBe("from-env");
    expect(cfg.identity.userPrefix).toBe("corp:");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the embedded provider and its defaults without flags", () => {
    const cfg = serveConfig([], {});
    expect(cfg.identity.issuerUrl).toBe("");
    expect(cfg.identity.groupRoles).toEqual({
      "cluster-admin": "editor",
      "read-only": "viewer",
      "solution-admin": "tenant-admin",
    });
  });

  it.each([
    [["--group-roles", "ops=root"], "--group-roles"],
    [["--ldap-url", "http://x"], "--ldap-url"],
    [["--ldap-url", "ldap://x"], "--ldap-user-base-dn"],
    [["--device-poll-interval", "0"], "--device-poll-interval"],
    [["--oidc-issuer-url", "login.example.com"], "--oidc-issuer-url"],
  ])("refuses %j naming %s", (args, flag) => {
    expect(() => serveConfig(args, {})).toThrow(flag);
  });

  it("has no flag that would put a secret into the process list", () => {
    expect(() => serveConfig(["--ldap-bind-password", "x"], {})).toThrow();
    expect(() => serveConfig(["--oidc-client-secret", "x"], {})).toThrow();
  });
});
