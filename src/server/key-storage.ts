import { prepareKeys } from "../idp/keys.js";
import { StoredKeysError } from "../shared/key-encryption.js";
import { SIGNING_KEY_SECRET_SETTING } from "./config.js";
import type { AppContext } from "./context.js";
import { prepareBmcPasswords } from "./machines/bmc-passwords.js";
import { idpDeps } from "./oauth/runtime.js";
import { IDP_KEY_TABLE, storedKeysError } from "./stored-key-errors.js";

/**
 * prepareStoredKeys checks and migrates the stored private keys (the JWT signing keys and the identity
 * provider's keys) and the machines' BMC passwords before the server takes requests: it refuses values
 * that do not decrypt with a ConfigError, seals plain ones when a secret is set, and warns once when they stay unencrypted (not in
 * dev mode, whose keys guard only demo data).
 */
export async function prepareStoredKeys(ctx: AppContext): Promise<void> {
  const { config, log } = ctx;
  if (config.signingKeySecret?.warning) log.warn(config.signingKeySecret.warning);
  const signing = await ctx.tokens.keys.prepare();
  if (signing.sealed) log.info("encrypted the stored signing keys", { keys: signing.sealed });
  const idp = await prepareKeys(idpDeps(ctx)).catch((err: unknown) => {
    throw err instanceof StoredKeysError ? storedKeysError(err, IDP_KEY_TABLE, config.signingKeySecret) : err;
  });
  if (idp.sealed) log.info("encrypted the stored identity provider keys", { keys: idp.sealed });
  const bmc = await prepareBmcPasswords(ctx);
  if (bmc.sealed) log.info("encrypted the stored BMC passwords", { machines: bmc.sealed });
  if (!signing.encrypted && !config.dev) {
    // One warning for both tables; the provider's keys matter only while it is the one people log in at.
    const embedded = !config.identity.issuerUrl;
    log.warn(
      `${embedded ? "signing keys and identity provider keys are" : "signing keys are"} stored unencrypted in the database: anyone who can read it can forge API tokens${embedded ? " and log in as any user" : ""}; set ${SIGNING_KEY_SECRET_SETTING} (it encrypts the machines' BMC passwords too)`,
    );
  }
}
