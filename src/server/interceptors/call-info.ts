import type { DescMethod } from "@bufbuild/protobuf";
import { createContextKey } from "@connectrpc/connect";
import type { MethodRule } from "../authz/permission-table.js";
import type { TokenRecord } from "../token/token-store.js";

/** CallInfo is what the interceptors learn about a call and share with audit and handlers. */
export interface CallInfo {
  /** Connect procedure path. */
  procedure: string;
  /** The method's rule from the permission table; undefined for a method it does not list (refused). */
  rule: MethodRule | undefined;
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

const procedures = new WeakMap<DescMethod, string>();

/** procedureOf returns the Connect procedure path of a method, e.g. "/metalstack.api.v2.HealthService/Get", built once per method. */
export function procedureOf(method: DescMethod): string {
  let procedure = procedures.get(method);
  if (procedure === undefined) {
    procedure = `/${method.parent.typeName}/${method.name}`;
    procedures.set(method, procedure);
  }
  return procedure;
}
