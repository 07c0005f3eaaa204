import { createHash, randomBytes } from "node:crypto";
import type { UpstreamChecks } from "./relying-party.js";

/** CLI_CLIENT_ID is the public OAuth client the login endpoints serve. */
export const CLI_CLIENT_ID = "metalctl";

/** CODE_TTL_MS is how long an authorization code may be redeemed (single use). */
export const CODE_TTL_MS = 60_000;

/** PENDING_LOGIN_TTL_MS is how long a person has to log in at the identity provider. */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;

/** LoginRequest is a login started at /auth/authorize or the device page, before the identity provider is asked. */
export type LoginRequest =
  | {
      kind: "authorize";
      clientId: string;
      redirectUri: string;
      clientState: string;
      codeChallenge: string;
    }
  | { kind: "device"; deviceKey: string };

/** PendingLogin is a login request waiting for the provider's callback, with the checks its answer must pass. */
export type PendingLogin = LoginRequest & { upstream: UpstreamChecks };

/** IssuedCode is what an authorization code stands for until it is redeemed. */
export interface IssuedCode {
  userId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
}

/** DeviceRecord is the state of one device authorization (RFC 8628). */
export interface DeviceRecord {
  clientId: string;
  userCode: string;
  status: "pending" | "approved" | "denied";
  userId?: string;
  /** Seconds the client must wait between polls; grows by 5 on every slow_down. */
  interval: number;
  lastPollAt?: string;
  requesterAddress: string;
  requesterAgent: string;
  createdAt: string;
  expiresAt: string;
}

/** secretToken returns 256 random bits, base64url encoded. */
export function secretToken(): string {
  return randomBytes(32).toString("base64url");
}

/** digest is the key under which a secret is stored, so the store never holds a usable secret. */
export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

/** storeKeys names the login state entries. */
export const storeKeys = {
  pending: (state: string) => `login:${digest(state)}`,
  code: (code: string) => `code:${digest(code)}`,
  device: (deviceKey: string) => `device:${deviceKey}`,
  userCode: (userCode: string) => `usercode:${userCode}`,
  userCodeFailures: (address: string) => `usercode-fail:${address}`,
  approval: (ticket: string) => `approve:${digest(ticket)}`,
};
