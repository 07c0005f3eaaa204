import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { defaultServerConfig } from "../../../src/server/config.js";
import { createLogger } from "../../../src/server/log.js";
import { type RunningServer, startServer } from "../../../src/server/server.js";
import { openDatabase } from "../../../src/server/store/db.js";
import { createKeyEncryption, isSealed } from "../../../src/shared/key-encryption.js";
import { addUser } from "../authz/fixtures.js";
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

for (const [dialect, enabled] of DIALECTS) {
  describe.runIf(enabled)(`signing keys encrypted at rest on ${dialect}`, () => {
    const { logs, start, refusal, withDb, startUseClose, expectNothingLeaked } = keyEncryptionHarness({
      dialect,
      dirPrefix: "metal-signing-keys-",
      // Fixed, so tokens from one start carry the issuer the next start checks.
      config: () => ({ publicUrl: "http://metal.test" }),
    });
    // Private scalars seen so far; no stored row may contain one of them in clear.
    const privateScalars: string[] = [];
    let before = ""; // a token issued while the keys were still stored in plain text

    const rows = () =>
      withDb((db) =>
        db.kysely
          .selectFrom("signing_keys")
          .select(["kid", "private_jwk", "created_at"])
          .orderBy("created_at")
          .execute(),
      );
    const setPrivate = (kid: string, value: string) =>
      withDb((db) =>
        db.kysely.updateTable("signing_keys").set({ private_jwk: value }).where("kid", "=", kid).execute(),
      );
    const issue = async (server: RunningServer) =>
      (
        await server.ctx.tokens.issueApiToken({
          userId: "alice",
          description: "t",
          expiresAt: new Date(Date.now() + 3_600_000),
        })
      ).secret;

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
      const lines = await startUseClose(SECRET, async (server) => {
        await expect(server.ctx.tokens.authenticate(before)).resolves.toBeDefined();
        const after = await issue(server);
        expect(decodeProtectedHeader(after).kid).toBe(decodeProtectedHeader(before).kid);
        await expect(server.ctx.tokens.authenticate(after)).resolves.toBeDefined();
      });
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
      const lines = await startUseClose(SECRET, async (server) => {
        await expect(server.ctx.tokens.authenticate(before)).resolves.toBeDefined();
        await expect(server.ctx.tokens.authenticate(await issue(server))).resolves.toBeDefined();
      });
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
      expectNothingLeaked(5, privateScalars);
    });
  });

  describe.runIf(enabled)(`replicas starting at once on ${dialect}`, () => {
    it("encrypt each plain key exactly once", async () => {
      await withScratchPlace(dialect, "metal-signing-keys-", async (place) => {
        const config = {
          ...defaultServerConfig(),
          ...place,
          listen: "127.0.0.1:0",
          publicUrl: "http://metal.test",
        };
        const plain = await startServer(config, { log: createLogger("error", () => {}), stdout: () => {} });
        await plain.ctx.tokens.keys.active();
        await plain.ctx.tokens.keys.rotate(60_000);
        await plain.close();
        const logs = await startReplicasWithSecret(config);
        expect(sealedCount(logs.flat(), "encrypted the stored signing keys")).toBe(2);
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
      });
    });
  });
}
