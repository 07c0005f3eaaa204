import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { SLAPADD, SLAPD } from "../helpers/components.js";

/** Slapd is a throw-away OpenLDAP server with the fixture directory, on a random loopback port. */
export interface Slapd {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitForPort(port: number, proc: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`slapd exited with ${proc.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd did not listen on 127.0.0.1:${port}`);
}

/** startSlapd writes its own config into a temp dir, loads `ldif` with slapadd and starts slapd in the foreground. */
export async function startSlapd(ldif: string): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-slapd-"));
  const data = path.join(dir, "data");
  fs.mkdirSync(data);
  const conf = path.join(dir, "slapd.conf");
  const baseDn = "dc=example,dc=org";
  const bindDn = `cn=admin,${baseDn}`;
  const bindPassword = "Directory-Admin-1";
  fs.writeFileSync(
    conf,
    [
      ...["core", "cosine", "inetorgperson", "nis"].map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${path.join(dir, "slapd.pid")}`,
      "modulepath /usr/lib/ldap",
      "moduleload back_mdb",
      "database mdb",
      `suffix "${baseDn}"`,
      `rootdn "${bindDn}"`,
      `rootpw ${bindPassword}`,
      `directory ${data}`,
      "maxsize 10485760",
      "access to attrs=userPassword by self read by anonymous auth by * none",
      "access to * by users read by * none",
      "",
    ].join("\n"),
  );
  execFileSync(SLAPADD, ["-f", conf, "-l", ldif], { stdio: "pipe" });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const proc = spawn(SLAPD, ["-f", conf, "-h", `${url}/`, "-d", "0"], { stdio: "ignore" });
  await waitForPort(port, proc);
  return {
    url,
    bindDn,
    bindPassword,
    baseDn,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
