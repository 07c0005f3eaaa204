import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createKeyEncryption,
  isSealed,
  KeyDecryptionError,
} from "../../../src/server/token/key-encryption.js";

const SECRET = crypto.randomBytes(32).toString("base64url");
const JWK = JSON.stringify({ kty: "EC", crv: "P-256", x: "xx", y: "yy", d: "private-scalar-d" });

// Flips one character of the envelope's `part`-th dot-separated field (0 salt, 1 nonce, 2 body, 3 tag).
function tamper(sealed: string, part: number): string {
  const [prefix, fields] = [sealed.slice(0, 7), sealed.slice(7).split(".")];
  const field = fields[part] ?? "";
  fields[part] = (field[0] === "A" ? "B" : "A") + field.slice(1);
  return prefix + fields.join(".");
}

describe("signing-key encryption", () => {
  const enc = createKeyEncryption(SECRET);

  it("round-trips a private JWK and marks the stored form as sealed, without the key in clear", () => {
    const sealed = enc.seal("kid-1", JWK);
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed(JWK)).toBe(false);
    expect(sealed).not.toContain("private-scalar-d");
    expect(sealed).not.toContain('"d"');
    expect(enc.open("kid-1", sealed)).toBe(JWK);
  });

  it("uses a fresh salt and nonce for every value", () => {
    const a = enc.seal("kid-1", JWK).split(".");
    const b = enc.seal("kid-1", JWK).split(".");
    expect(a[0]).not.toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
    expect(Buffer.from(a[1] ?? "", "base64url")).toHaveLength(12);
  });

  it("refuses a value sealed for another key id", () => {
    expect(() => enc.open("kid-2", enc.seal("kid-1", JWK))).toThrow(KeyDecryptionError);
  });

  it("refuses a value sealed with another secret", () => {
    const other = createKeyEncryption(crypto.randomBytes(32).toString("base64url"));
    expect(() => other.open("kid-1", enc.seal("kid-1", JWK))).toThrow(KeyDecryptionError);
  });

  it("refuses any altered field, truncation or a plain value", () => {
    const sealed = enc.seal("kid-1", JWK);
    for (const part of [0, 1, 2, 3]) {
      expect(() => enc.open("kid-1", tamper(sealed, part))).toThrow(KeyDecryptionError);
    }
    expect(() => enc.open("kid-1", sealed.slice(0, -4))).toThrow(KeyDecryptionError);
    expect(() => enc.open("kid-1", sealed.split(".").slice(0, 3).join("."))).toThrow(KeyDecryptionError);
    expect(() => enc.open("kid-1", JWK)).toThrow(KeyDecryptionError);
  });

  it("never puts the secret or the key into its errors", () => {
    const err = (() => {
      try {
        enc.open("kid-2", enc.seal("kid-1", JWK));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain("kid-2");
    expect(err?.message).not.toContain(SECRET);
    expect(err?.message).not.toContain("private-scalar-d");
  });
});
