import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createKeyEncryption,
  isSealed,
  KeyDecryptionError,
  openStoredKey,
  type StoredKey,
  StoredKeysError,
  sealStoredKeys,
} from "../../src/shared/key-encryption.js";

const SECRET = crypto.randomBytes(32).toString("base64url");
const JWK = JSON.stringify({ kty: "EC", crv: "P-256", x: "xx", y: "yy", d: "private-scalar-d" });

// Flips one character of the envelope's `part`-th dot-separated field (0 salt, 1 nonce, 2 body, 3 tag).
function tamper(sealed: string, part: number): string {
  const [prefix, fields] = [sealed.slice(0, 7), sealed.slice(7).split(".")];
  const field = fields[part] ?? "";
  fields[part] = (field[0] === "A" ? "B" : "A") + field.slice(1);
  return prefix + fields.join(".");
}

describe("key encryption", () => {
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

describe("stored keys at start", () => {
  const enc = createKeyEncryption(SECRET);
  const plain = (kid: string): StoredKey => ({ kid, binding: `t/${kid}`, stored: `plain-${kid}` });
  const sealed = (kid: string): StoredKey => ({
    kid,
    binding: `t/${kid}`,
    stored: enc.seal(`t/${kid}`, kid),
  });
  // A table in memory whose conditional update behaves like the SQL one.
  const table = (keys: StoredKey[]) => {
    const rows = new Map(keys.map((k) => [k.kid, k.stored]));
    const replace = async (key: StoredKey, value: string) => {
      if (rows.get(key.kid) !== key.stored) return 0;
      rows.set(key.kid, value);
      return 1;
    };
    return { rows, replace };
  };
  const refusal = async (run: Promise<unknown>) => {
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoredKeysError);
    return err as StoredKeysError;
  };

  it("seals plain keys through a conditional update, bound to their binding, and leaves sealed ones", async () => {
    const keys = [plain("a"), sealed("b"), plain("c")];
    const t = table(keys);
    expect(await sealStoredKeys(keys, enc, t.replace)).toEqual({ encrypted: true, sealed: 2 });
    for (const key of [keys[0]!, keys[2]!]) {
      const now = t.rows.get(key.kid) ?? "";
      expect(isSealed(now)).toBe(true);
      expect(now).not.toContain(key.stored);
      expect(openStoredKey(enc, { ...key, stored: now })).toBe(key.stored);
      expect(() => openStoredKey(enc, { ...key, binding: "t/other", stored: now })).toThrow(StoredKeysError);
    }
    expect(t.rows.get("b")).toBe(keys[1]?.stored);
  });

  it("counts only the rows it changed when another replica sealed them first", async () => {
    const keys = [plain("a"), plain("b")];
    const t = table(keys);
    t.rows.set("a", enc.seal("t/a", "plain-a"));
    expect(await sealStoredKeys(keys, enc, t.replace)).toEqual({ encrypted: true, sealed: 1 });
  });

  it("without a secret keeps plain keys and refuses sealed ones", async () => {
    const t = table([]);
    expect(await sealStoredKeys([plain("a")], undefined, t.replace)).toEqual({ encrypted: false, sealed: 0 });
    const err = await refusal(sealStoredKeys([plain("a"), sealed("b")], undefined, t.replace));
    expect(err.reason).toBe("no-secret");
    expect(() => openStoredKey(undefined, sealed("b"))).toThrow(StoredKeysError);
    expect(openStoredKey(undefined, plain("a"))).toBe("plain-a");
  });

  it("tells a wrong secret from single altered or moved rows, and seals nothing then", async () => {
    const other = createKeyEncryption(crypto.randomBytes(32).toString("base64url"));
    const keys = [sealed("a"), sealed("b"), plain("c")];
    const t = table(keys);
    const wrong = await refusal(sealStoredKeys(keys, other, t.replace));
    expect(wrong.reason).toBe("wrong-secret");
    expect(wrong.kids).toEqual(["a", "b"]);
    const moved = [keys[0]!, { ...keys[1]!, stored: keys[0]!.stored }, keys[2]!];
    const altered = await refusal(sealStoredKeys(moved, enc, t.replace));
    expect(altered.reason).toBe("altered");
    expect(altered.kids).toEqual(["b"]);
    expect(t.rows.get("c")).toBe("plain-c");
    const single = (() => {
      try {
        openStoredKey(enc, moved[1]!);
      } catch (e) {
        return e as StoredKeysError;
      }
    })();
    expect(single?.reason).toBe("undecryptable");
    expect(single?.message).not.toContain(SECRET);
  });
});
