import fs from "node:fs";
import net from "node:net";
import { POSTGRES_ADMIN_URL, REDIS_TEST_URL } from "./databases.js";

/*
 * Suites that need an outside component (PostgreSQL, Redis, slapd, a keychain daemon, a client
 * toolchain) ask here whether it is present, and run only if so:
 *   const withPostgres = await postgresAvailable();
 *   describe.runIf(withPostgres)("…", () => { … });
 * On a developer machine a missing component skips those suites with one NOTICE line on stderr.
 * Under CI=true it is an error instead: CI installs everything (.ci/run) and must run every suite.
 */

const noticed = new Set<string>();

/**
 * required returns true when `present`; otherwise, under CI it throws, and elsewhere it prints a
 * notice naming `what` is missing and how to get it (`install`), once, and returns false.
 */
export function required(present: boolean, what: string, install: string): boolean {
  if (present) return true;
  if (process.env.CI)
    throw new Error(`${what} is missing, and CI must run the suites that need it: ${install}`);
  if (!noticed.has(what)) {
    noticed.add(what);
    process.stderr.write(`NOTICE: ${what} is missing; skipping the suites that need it (${install})\n`);
  }
  return false;
}

const reachable = new Map<string, Promise<boolean>>();

function tcpReachable(url: string, defaultPort: number): Promise<boolean> {
  let check = reachable.get(url);
  if (!check) {
    const { hostname, port } = new URL(url);
    check = new Promise((resolve) => {
      const socket = net.connect({
        host: hostname.replace(/^\[(.*)\]$/, "$1"),
        port: Number(port || defaultPort),
      });
      socket.setTimeout(2000);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("timeout", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(false));
    });
    reachable.set(url, check);
  }
  return check;
}

/** postgresAvailable tells whether the PostgreSQL test cluster answers (see `required` for CI). */
export async function postgresAvailable(): Promise<boolean> {
  return required(
    await tcpReachable(POSTGRES_ADMIN_URL, 5432),
    `PostgreSQL on ${new URL(POSTGRES_ADMIN_URL).host}`,
    "start it on 127.0.0.1:5432 with trust auth, or run .ci/run",
  );
}

/** redisAvailable tells whether the test Redis answers (see `required` for CI). */
export async function redisAvailable(): Promise<boolean> {
  return required(
    await tcpReachable(REDIS_TEST_URL, 6379),
    `Redis on ${new URL(REDIS_TEST_URL).host}`,
    "start redis-server on 127.0.0.1:6379, or run .ci/run",
  );
}

/** SLAPD is Debian's OpenLDAP server, which the LDAP suites start with their own configuration. */
export const SLAPD = "/usr/sbin/slapd";
/** SLAPADD loads the fixture directory into a slapd database. */
export const SLAPADD = "/usr/sbin/slapadd";

/** slapdAvailable tells whether Debian's OpenLDAP server and its loader are installed (see `required`). */
export function slapdAvailable(): boolean {
  return required(
    fs.existsSync(SLAPD) && fs.existsSync(SLAPADD),
    `slapd (${SLAPD}, ${SLAPADD})`,
    "apt-get install slapd ldap-utils, or run .ci/run",
  );
}

/** keychainAvailable tells whether a Secret Service keychain can be started in a private D-Bus session (see `required`). */
export function keychainAvailable(): boolean {
  return required(
    fs.existsSync("/usr/bin/gnome-keyring-daemon") && fs.existsSync("/usr/bin/dbus-run-session"),
    "gnome-keyring-daemon and dbus-run-session",
    "apt-get install gnome-keyring dbus libsecret-1-0, or run .ci/run",
  );
}
