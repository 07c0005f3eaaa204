/** KEYCHAIN_SERVICE is the service name of every metalctl keychain entry. */
export const KEYCHAIN_SERVICE = "metalctl";

const TIMEOUT_MS = 3000;

/** Keychain stores one secret per account (metalctl uses the context name) in the OS keychain. */
export interface Keychain {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/**
 * openKeychain returns the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service
 * on Linux). The native module is imported on first use so other commands never load it.
 * On Linux the Secret Service is used explicitly: the kernel keyring would lose tokens on reboot.
 */
export function openKeychain(service = KEYCHAIN_SERVICE): Keychain {
  const entry = async (account: string) => {
    const { AsyncEntry } = await import("@napi-rs/keyring");
    return new AsyncEntry(service, account, { linux: { store: "secret-service" } });
  };
  return {
    async get(account) {
      const value = await (await entry(account)).getPassword(AbortSignal.timeout(TIMEOUT_MS));
      return value ?? undefined;
    },
    async set(account, secret) {
      await (await entry(account)).setPassword(secret, AbortSignal.timeout(TIMEOUT_MS));
    },
    async delete(account) {
      await (await entry(account)).deletePassword(AbortSignal.timeout(TIMEOUT_MS));
    },
  };
}

/** probeKeychain writes a random value, reads it back and deletes it; false when that fails. */
export async function probeKeychain(keychain: Keychain): Promise<boolean> {
  const { randomBytes } = await import("node:crypto");
  const account = `probe-${randomBytes(6).toString("hex")}`;
  const value = randomBytes(16).toString("hex");
  try {
    await keychain.set(account, value);
    const back = await keychain.get(account);
    await keychain.delete(account);
    return back === value;
  } catch {
    return false;
  }
}
