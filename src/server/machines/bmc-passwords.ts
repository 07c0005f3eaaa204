import {
  createKeyEncryption,
  type KeyStorage,
  StoredKeysError,
  sealStoredKeys,
} from "../../shared/key-encryption.js";
import type { AppContext } from "../context.js";
import { type KeyTable, storedKeysError } from "../stored-key-errors.js";

/** BMC_PASSWORD_TABLE names the machines' BMC passwords (`machines.bmc_password`) in start-up errors. */
const BMC_PASSWORD_TABLE: KeyTable = {
  keys: "BMC passwords",
  key: "BMC password of machine",
  loss: "the machine's agent must register it again",
};

// Binds an envelope to its machine: a password copied into another machine's row does not open.
const binding = (machineId: string) => `machines.bmc_password:${machineId}`;

/**
 * storedBmcPassword is the column value for a machine's BMC password: sealed with the at-rest secret
 * (the one that protects the signing keys) when the server has one, else the password itself.
 */
export function storedBmcPassword(ctx: AppContext, machineId: string, password: string): string {
  const secret = ctx.config.signingKeySecret;
  if (!password || !secret) return password;
  return createKeyEncryption(secret.value).seal(binding(machineId), password);
}

/**
 * prepareBmcPasswords runs once at start: it refuses sealed passwords that do not open with a
 * ConfigError and, with a secret, seals every password still stored in plain text (each once, even
 * when replicas start at the same time).
 */
export async function prepareBmcPasswords(ctx: AppContext): Promise<KeyStorage> {
  const secret = ctx.config.signingKeySecret;
  const k = ctx.db.kysely;
  const rows = await k
    .selectFrom("machines")
    .select(["id", "bmc_password"])
    .where("bmc_password", "!=", "")
    .execute();
  const stored = rows.map((r) => ({ kid: r.id, binding: binding(r.id), stored: r.bmc_password }));
  const encryption = secret ? createKeyEncryption(secret.value) : undefined;
  return sealStoredKeys(stored, encryption, async (row, sealed) => {
    const res = await k
      .updateTable("machines")
      .set({ bmc_password: sealed })
      .where("id", "=", row.kid)
      .where("bmc_password", "=", row.stored)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }).catch((err: unknown) => {
    throw err instanceof StoredKeysError ? storedKeysError(err, BMC_PASSWORD_TABLE, secret) : err;
  });
}
