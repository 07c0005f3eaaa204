import fs from "node:fs";
import path from "node:path";
import type { CredentialStorage } from "../config/store.js";
import { writeFileAtomic } from "../config/write-atomic.js";
import { CliError } from "../errors.js";
import { yaml } from "../yaml.js";
import type { Keychain } from "./keychain.js";

/** Credentials are the tokens of one context. */
export interface Credentials {
  accessToken: string;
  refreshToken?: string;
  /** ISO time the access token expires, when known. */
  expiresAt?: string;
  /**
   * The API URL that issued the tokens; they are sent only there (records written before this field
   * existed are bound to their context's URL).
   */
  apiUrl?: string;
}

/** CredentialStore keeps each context's tokens in the keychain or in the 0600 fallback file. */
export interface CredentialStore {
  /** fallbackPath is the 0600 file used when no keychain is usable. */
  fallbackPath: string;
  read(context: string, storage: CredentialStorage): Promise<Credentials | undefined>;
  write(context: string, storage: CredentialStorage, creds: Credentials): Promise<void>;
  remove(context: string, storage: CredentialStorage): Promise<void>;
}

/** createCredentialStore returns the store over a keychain and `credentials.yaml` in `dir`. */
export function createCredentialStore(dir: string, keychain: () => Keychain): CredentialStore {
  const file = path.join(dir, "credentials.yaml");
  const readFile = (): Record<string, Credentials> => {
    try {
      const parsed = parseCredentials(fs.readFileSync(file, "utf8"));
      return parsed && typeof parsed === "object" ? (parsed as Record<string, Credentials>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw new CliError(
        // Only the first line: a parser shows the lines around an error, which may hold a token.
        `cannot read ${file}: ${(err as Error).message.split("\n")[0]}`,
        1,
        "fix or remove the file, then log in again",
      );
    }
  };
  // JSON is YAML too: the file stays what it was, and reading it needs no YAML parser on every command.
  const writeFile = (all: Record<string, Credentials>) =>
    writeFileAtomic(file, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  return {
    fallbackPath: file,
    async read(context, storage) {
      if (storage === "file") return sanitize(readFile()[context]);
      let raw: string | undefined;
      try {
        raw = await keychain().get(context);
      } catch (err) {
        throw new CliError(
          `cannot read the credentials of context "${context}" from the OS keychain: ${(err as Error).message}`,
          3,
          "unlock the keychain, or run `metalctl login --insecure-storage`",
        );
      }
      return raw === undefined ? undefined : sanitize(safeJson(raw));
    },
    async write(context, storage, creds) {
      if (storage === "file") {
        writeFile({ ...readFile(), [context]: creds });
        return;
      }
      await keychain().set(context, JSON.stringify(creds));
    },
    async remove(context, storage) {
      if (storage === "file") {
        const all = readFile();
        if (!(context in all)) return;
        delete all[context];
        writeFile(all);
        return;
      }
      await keychain().delete(context);
    },
  };
}

/** parseCredentials reads the file as written since it is JSON, and as YAML when written before or by hand. */
function parseCredentials(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return yaml().parse(text);
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function sanitize(v: unknown): Credentials | undefined {
  const c = v as Partial<Credentials> | undefined;
  if (!c || typeof c.accessToken !== "string" || !c.accessToken) return undefined;
  const out: Credentials = { accessToken: c.accessToken };
  if (typeof c.refreshToken === "string" && c.refreshToken) out.refreshToken = c.refreshToken;
  if (typeof c.expiresAt === "string") out.expiresAt = c.expiresAt;
  if (typeof c.apiUrl === "string" && c.apiUrl) out.apiUrl = c.apiUrl;
  return out;
}
