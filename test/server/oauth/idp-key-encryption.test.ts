import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createLocalUser } from "../../../src/idp/local-users.js";
import { defaultServerConfig } from "../../../src/server/config.js";
import { createLogger } from "../../../src/server/log.js";
import { defaultIdentityConfig } from "../../../src/server/oauth/identity-config.js";
import { idpDeps } from "../../../src/server/oauth/runtime.js";
import { type RunningServer, startServer } from "../../../src/server/server.js";
import { openDatabase } from "../../../src/server/store/db.js";
import { createKeyEncryption, isSealed } from "../../../src/shared/key-encryption.js";
import {
  DIALECTS,
  keyEncryptionHarness,
  OTHER,
  SECRET,
  SETTING,
  sealedCount,
  startReplicasWithSecret,
  warnings,
  withScratchPlace,
} from "../key-encryption-harness.js";
import { authorizeUrl, exchangeCode, newPkce } from "./cli-side.js";
import { HttpBrowser } from "./http-browser.js";

const LOOPBACK = "http://127.0.0.1:49157/callback";
const PASSWORD = "Correct-Horse-42";
// Parameters of an RSA private JWK that must never be stored or logged in clear.
const PRIVATE_PARAMS = ["d", "p", "q", "dp", "dq", "qi"] as const;

interface KeyRow {
  kid: string;
  kind: string;
  material: string;
}

const bindingOf = (row: Pick<KeyRow, "kid" | "kind">) => `idp_keys/${row.kind}/${row.kid}`;

// A port of our own for all starts: the issuer (public URL) stays the same, as in production.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * drainConnections makes fetch drop its keep-alive connections to a closed server: its pool notices a
 * closed one only when it reuses it, and the next server on the same port would get that failure. Each
 * failed request discards one; a refused connection means none is left.
 */
async function drainConnections(url: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const err = await fetch(url).then(
      () => undefined,
      (e: Error) => e,
    );
    if ((err?.cause as NodeJS.ErrnoException | undefined)?.code !== "UND_ERR_SOCKET") return;
  }
  throw new Error(`fetch keeps connections to ${url} after the server closed`);
}

for (const [dialect, enabled] of DIALECTS) {
  describe.runIf(enabled)(
    `identity provider keys encrypted at rest on ${dialect}`,
    { timeout: 60_000 },
    () => {
      let port: number;
      const { logs, start, refusal, withDb, startUseClose, expectNothingLeaked } = keyEncryptionHarness({
        dialect,
        dirPrefix: "metal-idp-keys-",
        config: () => ({ listen: `127.0.0.1:${port}` }),
        afterClose: (server) => drainConnections(server.url),
      });
      // Private key material seen so far (JWK parameters, cookie keys); no row or log may show one.
      const secrets: string[] = [];
      // Keeps the provider's session cookie of the first login, made while the keys were plain.
      const sso = new HttpBrowser();

      const rows = (): Promise<KeyRow[]> =>
        withDb((db) =>
          db.kysely
            .selectFrom("idp_keys")
            .select(["kid", "kind", "material"])
            .orderBy("kind", "desc")
            .orderBy("kid")
            .execute(),
        );
      const setRow = (kid: string, values: Partial<KeyRow>) =>
        withDb((db) => db.kysely.updateTable("idp_keys").set(values).where("kid", "=", kid).execute());
      const sealed = (lines: string[]) => sealedCount(lines, "encrypted the stored identity provider keys");

      // Redeems the code the provider sent to the CLI's loopback and checks the API accepts the token.
      const redeem = async (server: RunningServer, callbackUrl: string, verifier: string) => {
        expect(callbackUrl.startsWith(LOOPBACK)).toBe(true);
        const code = new URL(callbackUrl).searchParams.get("code") ?? "";
        const res = await exchangeCode(server.url, code, verifier, LOOPBACK);
        expect(res.status).toBe(200);
        const { record } = await server.ctx.tokens.authenticate(String(res.body.access_token));
        expect(record.userId).toBe("lena");
      };
      const passwordLogin = async (server: RunningServer, browser = new HttpBrowser()) => {
        const pkce = newPkce();
        const page = await browser.follow(
          authorizeUrl(server.url, {
            redirectUri: LOOPBACK,
            state: "s",
            challenge: pkce.challenge,
            method: "S256",
          }),
        );
        expect(page.url).toContain("/idp/interaction/");
        const { url } = await browser.submitLogin(
          page.url,
          await page.res.text(),
          { username: "lena", password: PASSWORD },
          LOOPBACK,
        );
        await redeem(server, url, pkce.verifier);
      };
      // A login with the provider session in `browser`'s cookies: no login form, straight back to the CLI.
      const sessionLogin = async (server: RunningServer, browser: HttpBrowser) => {
        const pkce = newPkce();
        const { url } = await browser.follow(
          authorizeUrl(server.url, {
            redirectUri: LOOPBACK,
            state: "s",
            challenge: pkce.challenge,
            method: "S256",
          }),
          LOOPBACK,
        );
        expect(url).not.toContain("/idp/interaction/");
        await redeem(server, url, pkce.verifier);
      };

      beforeAll(async () => {
        port = await freePort();
      });

      it("without a secret stores the keys plain, logs in, and warns once for both kinds of keys", async () => {
        const server = await start();
        try {
          await createLocalUser(idpDeps(server.ctx), {
            id: "lena",
            displayName: "Lena",
            email: "",
            roles: [],
            password: PASSWORD,
            mustChangePassword: false,
          });
          await passwordLogin(server, sso);
        } finally {
          await server.close();
        }
        const stored = await rows();
        expect(stored.map((r) => r.kind)).toEqual(["signing", "cookie"]);
        const jwk = JSON.parse(stored[0]?.material ?? "{}") as Record<string, string>;
        for (const p of PRIVATE_PARAMS) {
          expect(jwk[p]).toBeTruthy();
          secrets.push(jwk[p] ?? "");
        }
        secrets.push(stored[1]?.material ?? "");
        const warned = warnings(logs);
        expect(warned).toHaveLength(1);
        expect(warned[0]?.msg).toMatch(
          /^signing keys and identity provider keys are stored unencrypted .*log in as any user.*--signing-key-secret-file/,
        );
      });

      it("the first start with a secret seals the keys in place; the earlier provider session still logs in", async () => {
        const plain = await rows();
        const lines = await startUseClose(SECRET, async (server) => {
          await sessionLogin(server, sso);
          await passwordLogin(server);
        });
        const stored = await rows();
        expect(stored.map(({ kid, kind }) => ({ kid, kind }))).toEqual(
          plain.map(({ kid, kind }) => ({ kid, kind })),
        );
        const enc = createKeyEncryption(SECRET);
        for (const [i, row] of stored.entries()) {
          expect(isSealed(row.material)).toBe(true);
          expect(row.material).not.toContain('"d"');
          for (const s of secrets) expect(row.material).not.toContain(s);
          // The same keys, only sealed: sessions and tokens signed before stay valid.
          expect(enc.open(bindingOf(row), row.material)).toBe(plain[i]?.material);
        }
        expect(sealed(lines)).toBe(2);
        expect(warnings(lines)).toEqual([]);
      });

      it("restarts with the same secret: logins work and nothing is sealed again", async () => {
        const stored = await rows();
        const lines = await startUseClose(SECRET, async (server) => {
          await sessionLogin(server, sso);
          await passwordLogin(server);
        });
        expect(await rows()).toEqual(stored);
        expect(sealed(lines)).toBe(0);
        expect(warnings(lines)).toEqual([]);
      });

      it("refuses to start with another secret than the keys were sealed with, naming the setting", async () => {
        const stored = await rows();
        expect((await refusal(OTHER)).message).toContain(SETTING);
        // Only the provider's keys under another secret: the refusal names them, not the signing keys.
        const enc = createKeyEncryption(SECRET);
        const other = createKeyEncryption(OTHER);
        for (const row of stored) {
          await setRow(row.kid, {
            material: other.seal(bindingOf(row), enc.open(bindingOf(row), row.material)),
          });
        }
        const resealed = await rows();
        try {
          const err = await refusal(SECRET);
          expect(err.message).toBe(
            `the identity provider keys in the database cannot be decrypted with the secret from ${SETTING}: it is not the secret they were encrypted with (or the rows were altered); start with that secret`,
          );
          expect(await rows()).toEqual(resealed);
        } finally {
          for (const row of stored) await setRow(row.kid, { material: row.material });
        }
      });

      it("refuses to start without a secret once the keys are sealed, saying how to set one", async () => {
        expect((await refusal()).message).toMatch(/encrypted, but no key-encryption secret is set/);
        // Without signing keys in the way, the refusal is about the provider's keys.
        const signing = await withDb((db) => db.kysely.selectFrom("signing_keys").selectAll().execute());
        await withDb((db) => db.kysely.deleteFrom("signing_keys").execute());
        try {
          const err = await refusal();
          expect(err.message).toMatch(
            /^the identity provider keys in the database are encrypted, but no key-encryption secret is set: start with --signing-key-secret-file FILE/,
          );
          expect(err.message).toContain("METAL_APISERVER_SIGNING_KEY_SECRET_FILE");
          expect(await withDb((db) => db.kysely.selectFrom("signing_keys").selectAll().execute())).toEqual(
            [],
          );
        } finally {
          await withDb((db) => db.kysely.insertInto("signing_keys").values(signing).execute());
        }
      });

      it("does not open a sealed key copied to another key id or moved to another kind", async () => {
        const [signing, cookie] = await rows();
        if (!signing || !cookie) throw new Error("expected a signing and a cookie key");
        const copy = crypto.randomUUID();
        await withDb((db) =>
          db.kysely
            .insertInto("idp_keys")
            .values({
              kid: copy,
              kind: "cookie",
              material: cookie.material,
              created_at: new Date().toISOString(),
            })
            .execute(),
        );
        try {
          const err = await refusal(SECRET);
          expect(err.message).toMatch(
            new RegExp(
              `^identity provider key ${copy} cannot be decrypted .* although the others can: the row was altered or copied from another key`,
            ),
          );
          expect(err.message).not.toContain(cookie.kid);
        } finally {
          await withDb((db) => db.kysely.deleteFrom("idp_keys").where("kid", "=", copy).execute());
        }
        await setRow(signing.kid, { kind: "cookie" });
        try {
          expect((await refusal(SECRET)).message).toMatch(
            new RegExp(`^identity provider key ${signing.kid} `),
          );
        } finally {
          await setRow(signing.kid, { kind: "signing" });
        }
        const server = await start(SECRET);
        try {
          await passwordLogin(server);
        } finally {
          await server.close();
        }
      });

      it("never writes the secret or key material into logs or errors", () => {
        expectNothingLeaked(6, secrets);
      });
    },
  );

  describe.runIf(enabled)(`replicas sealing identity provider keys at once on ${dialect}`, () => {
    it("seal each plain key exactly once", async () => {
      await withScratchPlace(dialect, "metal-idp-keys-", async (place) => {
        const config = { ...defaultServerConfig(), ...place, listen: "127.0.0.1:0" };
        const plain = await startServer(config, { log: createLogger("error", () => {}), stdout: () => {} });
        await plain.ctx.identityRuntime();
        await plain.close();
        const logs = await startReplicasWithSecret(config);
        expect(sealedCount(logs.flat(), "encrypted the stored identity provider keys")).toBe(2);
        const db = openDatabase(config);
        try {
          const stored = await db.kysely.selectFrom("idp_keys").select(["kid", "kind", "material"]).execute();
          expect(stored).toHaveLength(2);
          const enc = createKeyEncryption(SECRET);
          for (const row of stored) expect(enc.open(bindingOf(row), row.material)).toBeTruthy();
        } finally {
          await db.close();
        }
      });
    });
  });
}

describe("the unencrypted-keys warning with an external identity provider", () => {
  it("names only the signing keys: the embedded provider's keys are not used", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-idp-keys-"));
    const lines: string[] = [];
    try {
      const server = await startServer(
        {
          ...defaultServerConfig(),
          dataDir,
          listen: "127.0.0.1:0",
          identity: { ...defaultIdentityConfig(), issuerUrl: "https://login.example.com" },
        },
        { log: createLogger("info", (l) => lines.push(l)), stdout: () => {} },
      );
      await server.close();
      const warned = lines
        .map((l) => JSON.parse(l) as { level: string; msg: string })
        .filter((l) => l.level === "warn");
      expect(warned.map((w) => w.msg)).toEqual([
        expect.stringMatching(
          /^signing keys are stored unencrypted .*forge API tokens; set --signing-key-secret-file/,
        ),
      ]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
