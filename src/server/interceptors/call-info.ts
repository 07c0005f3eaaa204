import { createContextKey } from "@connectrpc/connect";
import type { TokenRecord } from "../token/token-store.js";

/** CallInfo is what the interceptors learn about a call and share with audit and handlers. */
export interface CallInfo {
  /** Connect procedure path. */
  procedure: string;
  /** Project or tenant id the request named; "" when the method names none. */
  subject: string;
  /** Tenant the call is about: the tenant it named or the named project's tenant; "" otherwise. */
  tenant: string;
  /** Project the call named; "" otherwise. */
  project: string;
  /** The presented token's record (grants), once authenticated. */
  token?: TokenRecord;
  /** When the presented token stops working (its JWT's or its record's expiry, the earlier). */
  tokenExpiresAt?: Date;
}

/** callInfoKey holds the CallInfo of the current call; set by authentication. */
export const callInfoKey = createContextKey<CallInfo | undefined>(undefined, { description: "call info" });
