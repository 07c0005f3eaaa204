import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, defaultServerConfig, type SigningKeySecret } from "../../../src/server/config.js";
import { createLogger } from "../../../src/server/log.js";
import { type RunningServer, startServer } from "../../../src/server/server.js";
import { openDatabase } from "../../../src/server/store/db.js";
import { createKeyEncryption, isSealed } from "../../../src/shared/key-encryption.js";
import { createPostgresDatabase, postgresAvailable, type TestDatabase } from "../../helpers/databases.js";
import { addUser } from "../authz/fixtures.js";

const withPostgres = await postgresAvailable();

const SECRET = `right-${crypto.randomBytes(32).toString("base64url")}`;
const OTHER = `wrong-${crypto.randomBytes(32).toString("base64url")}`;
const SETTING = "--signing-key-secret-file (/etc/metal/signing-key-secret)";
const secretOf = (value: string): SigningKeySecret => ({ value, setting: SETTING });

for (const [dialect, enabled] of [
  ["SQLite", true],
  ["PostgreSQL", withPostgres],
] as const) {
  describe.skipIf(!enabled)(`signing keys encrypted at rest on ${dialect}`, () => {
    let dataDir: string;
    let database: TestDatabase | undefined;
    const logs: string[] = [];
    const errors: string[] = [];
    // Private scalars seen so far; no stored row may contain one of them in clear.
    const privateScalars: string[] = [];
    let before = ""; // a token issued while the keys were still stored in plain text

    const place = () => ({ dataDir, databaseUrl: database?.url ?? "" });
    const start = (secret?: string, log: string[] = logs): Promise<RunningServer> =>
      startServer(
        {
          ...defaultServerConfig(),
          ...place(),
          listen: "127.0.0.1:0",
          // Fixed, so tokens from one start carry the issuer the next start checks.
          publicUrl: "http://metal.test",
          signingKeySecret: secret ? secretOf(secret) : undefined,
        },
        { log: createLogger("debug", (l) => log.push(l)), stdout: () => {} },
      );
    const refusal = async (secret?: string): Promise<Error> => {
      const err = await start(secret).then(
        async (s) => {
          await s.close();
          throw new Error("the server started");
        },
        (e: Error) => e,
      );
      errors.push(err.message);
      expect(err).toBeInstanceOf(ConfigError);
      return err;
    };
    const rows = async () => {
      const db = openDatabase(place());
      try {
        return await db.kysely
          .selectFrom("signing_keys")
          .select(["kid", "private_jwk", "created_at"])
          .orderBy("created_at")
          .execute();
      } finally {
        await db.close();
      }
    };
    const setPrivate = async (kid: string, value: string) => {
      const db = openDatabase(place());
      try {
        await db.kysely
          .updateTable("signing_keys")
          .set({ private_jwk: value })
          .where("kid", "=", kid)
          .execute();
      } finally {
        await db.close();
      }
    };
    const issue = async (server: RunningServer) =>
      (
        await server.ctx.tokens.issueApiToken({
          userId: "alice",
          description: "t",
          expiresAt: new Date(Date.now() + 3_600_000),
        })
      ).secret;
    const warnings = (lines: string[]) =>
      lines.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === "warn");

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-signing-keys-"));
      if (dialect === "PostgreSQL") database = await createPostgresDatabase();
    });
    afterAll(async () => {
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("without a secret stores plain keys, keeps working and warns once naming the setting", async () => {
      const server = await start();
      try {
        await addUser(server.ctx, "alice");
        before = await issue(server);
        await expect(server.ctx.tokens.authenticate(before)).resolves.toBeDefined();
      } finally {
        await server.close();
      }
      const [row] = await rows();
      const jwk = JSON.parse(row?.private_jwk ?? "{}") as { d?: string };
      expect(jwk.d).toBeTruthy();
      privateScalars.push(jwk.d ?? "");
      const warned = warnings(logs);
      expect(warned).toHaveLength(1);
      expect(warned[0]?.msg).toMatch(/stored unencrypted.*--signing-key-secret-file/);
    });

    it("encrypts the plain keys at start with a secret; tokens issued before still verify", async () => {
      const lines: string[] = [];
      const server = await start(SECRET, lines);
      try {
        await expect(server.ctx.tokens.authenticate(before)).resolves.toBeDefined();
        const after = await issue(server);
        expect(decodeProtectedHeader(after).kid).toBe(decodeProtectedHeader(before).kid);
        await expect(server.ctx.tokens.authenticate(after)).resolves.toBeDefined();
      } finally {
        await server.close();
        logs.push(...lines);
      }
      const stored = await rows();
      expect(stored).toHaveLength(1);
      for (const row of stored) {
        expect(isSealed(row.private_jwk)).toBe(true);
        expect(row.private_jwk).not.toContain('"d"');
        for (const d of privateScalars) expect(row.private_jwk).not.toContain(d);
      }
      expect(lines.some((l) => l.includes("encrypted the stored signing keys"))).toBe(true);
      expect(warnings(lines)).toEqual([]);
    });

    it("writes rotated keys encrypted", async () => {
      const server = await start(SECRET);
      try {
        const kid = await server.ctx.tokens.keys.rotate(server.ctx.config.maxTokenLifetimeMs);
        expect(decodeProtectedHeader(await issue(server)).kid).toBe(kid);
      } finally {
        await server.close();
      }
      const stored = await rows();
      expect(stored).toHaveLength(2);
      const enc = createKeyEncryption(SECRET);
      for (const row of stored) {
        expect(isSealed(row.private_jwk)).toBe(true);
        const d = (JSON.parse(enc.open(row.kid, row.private_jwk)) as { d: string }).d;
        expect(d).toBeTruthy();
        privateScalars.push(d);
        expect(row.private_jwk).not.toContain('"d"');
        expect(row.private_jwk).not.toContain(d);
      }
    });

    it("restarts with the same secret: old tokens verify, new ones are signed, nothing is re-encrypted", async () => {
      const stored = await rows();
      const lines: string[] = [];
      const server = await start(SECRET, lines);
      try {
        await expect(server.ctx.tokens.authenticate(before)).resolves.toBeDefined();
        await expect(server.ctx.tokens.authenticate(await issue(server))).resolves.toBeDefined();
      } finally {
        await server.close();
        logs.push(...lines);
      }
      expect(await rows()).toEqual(stored);
      expect(lines.some((l) => l.includes("encrypted the stored signing keys"))).toBe(false);
    });

    it("refuses to start with a wrong secret, naming the setting, and leaves the keys alone", async () => {
      const stored = await rows();
      const err = await refusal(OTHER);
      expect(err.message).toContain(SETTING);
      expect(err.message).toMatch(/not the secret they were encrypted with/);
      expect(await rows()).toEqual(stored);
    });

    it("refuses to start without a secret once the keys are encrypted, saying how to set one", async () => {
      const err = await refusal();
      expect(err.message).toMatch(/encrypted, but no key-encryption secret is set/);
      expect(err.message).toContain("--signing-key-secret-file");
      expect(err.message).toContain("METAL_APISERVER_SIGNING_KEY_SECRET_FILE");
    });

    it("refuses a tampered ciphertext, naming the key", async () => {
      const [first, second] = await rows();
      if (!first || !second) throw new Error("expected two keys");
      const fields = second.private_jwk.split(".");
      const body = fields[2] ?? "";
      fields[2] = (body[0] === "A" ? "B" : "A") + body.slice(1);
      await setPrivate(second.kid, fields.join("."));
      try {
        const err = await refusal(SECRET);
        expect(err.message).toContain(second.kid);
        expect(err.message).not.toContain(first.kid);
        expect(err.message).toMatch(/altered or copied from another key/);
      } finally {
        await setPrivate(second.kid, second.private_jwk);
      }
    });

    it("refuses a ciphertext copied or swapped to another key id", async () => {
      const [first, second] = await rows();
      if (!first || !second) throw new Error("expected two keys");
      await setPrivate(second.kid, first.private_jwk);
      try {
        const err = await refusal(SECRET);
        expect(err.message).toContain(second.kid);
      } finally {
        await setPrivate(second.kid, second.private_jwk);
      }
      await setPrivate(first.kid, second.private_jwk);
      await setPrivate(second.kid, first.private_jwk);
      try {
        const err = await refusal(SECRET);
        expect(err.message).toMatch(/cannot be decrypted/);
      } finally {
        await setPrivate(first.kid, first.private_jwk);
        await setPrivate(second.kid, second.private_jwk);
      }
      const server = await start(SECRET);
      await server.close();
    });

    it("never writes the secret or a private key into logs or errors", () => {
      expect(logs.length).toBeGreaterThan(0);
      expect(errors.length).toBeGreaterThanOrEqual(5);
      const text = [...logs, ...errors].join("\n");
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(OTHER);
      for (const d of privateScalars) expect(text).not.toContain(d);
    });
  });

  describe.skipIf(!enabled)(`replicas starting at once on ${dialect}`, () => {
    it("encrypt each plain key exactly once", async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-signing-keys-"));
      const database = dialect === "PostgreSQL" ? await createPostgresDatabase() : undefined;
      const config = {
        ...defaultServerConfig(),
        dataDir,
        databaseUrl: database?.url ?? "",
        listen: "127.0.0.1:0",
        publicUrl: "http://metal.test",
      };
      const quiet = { log: createLogger("error", () => {}), stdout: () => {} };
      try {
        const plain = await startServer(config, quiet);
        await plain.ctx.tokens.keys.active();
        await plain.ctx.tokens.keys.rotate(60_000);
        await plain.close();
        const logs: string[][] = [[], [], []];
        const replicas = await Promise.all(
          logs.map((lines) =>
            startServer(
              { ...config, signingKeySecret: secretOf(SECRET) },
              { log: createLogger("info", (l) => lines.push(l)), stdout: () => {} },
            ),
          ),
        );
        await Promise.all(replicas.map((r) => r.close()));
        const sealed = logs
          .flat()
          .map((l) => JSON.parse(l) as { msg: string; keys?: number })
          .filter((l) => l.msg === "encrypted the stored signing keys")
          .reduce((sum, l) => sum + (l.keys ?? 0), 0);
        expect(sealed).toBe(2);
        const db = openDatabase(config);
        try {
          const stored = await db.kysely.selectFrom("signing_keys").select(["kid", "private_jwk"]).execute();
          expect(stored).toHaveLength(2);
          const enc = createKeyEncryption(SECRET);
          for (const row of stored)
            expect(JSON.parse(enc.open(row.kid, row.private_jwk))).toHaveProperty("d");
        } finally {
          await db.close();
        }
      } finally {
        await database?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
