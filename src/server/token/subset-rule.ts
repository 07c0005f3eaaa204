import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AccessFacts } from "../authz/decide.js";
import type { PermissionTable } from "../authz/permission-table.js";
import { checkGrantable, type RequestedGrants } from "./grant-check.js";
import type { TokenRecord } from "./token-store.js";

/**
 * Issuer is what a new token's power and lifetime derive from: a presented token (TokenService), or a
 * finished login of a user (browser and device login, the OAuth refresh grant) with its session's end.
 */
export type Issuer =
  | { via: "token"; token: TokenRecord; facts: AccessFacts }
  | { via: "login"; userId: string; sessionEnd: Date };

/** Produced describes a token about to be issued: its kind, and the token it changes or replaces, if any. */
export interface Produced {
  kind: "user" | "api";
  /** The existing token an update or refresh acts on. */
  target?: TokenRecord;
}

/** Lifetimes are the server's limits: the longest API token and the user token of a login. */
export interface Lifetimes {
  maxTokenLifetimeMs: number;
  userTokenLifetimeMs: number;
}

/** ExpiryLimit is one bound on a new token's expiry: the latest instant, and the error for going past it. */
interface ExpiryLimit {
  at: Date;
  error: (field: string) => ConnectError;
}

/** DescendantLookup lists the lineages an API token created, directly or through its children. */
export type DescendantLookup = (lineageId: string) => Promise<Set<string>>;

/**
 * mayActOn tells whether `issuer` may see, change, refresh or revoke `target`: only a token the issuer
 * itself is (its lineage) or created. A user token acts for its user, who created every API token of
 * theirs, but never for another login session; an API token acts on itself and on the tokens created
 * from it, transitively.
 */
export async function mayActOn(
  issuer: TokenRecord,
  target: TokenRecord,
  descendants: DescendantLookup,
): Promise<boolean> {
  if (target.userId !== issuer.userId) return false;
  if (target.lineageId === issuer.lineageId) return true;
  if (issuer.kind === "user") return target.kind === "api";
  return (await descendants(issuer.lineageId)).has(target.lineageId);
}

/**
 * checkPower throws unless the produced token holds no more power than the issuer: an API token's
 * grants must be grantable by the issuer's effective grants right now; a user token (all of the user's
 * roles) comes only from a login of that user or from the user token itself.
 */
export async function checkPower(
  table: PermissionTable,
  issuer: Issuer,
  produced: Produced,
  grants: RequestedGrants,
): Promise<void> {
  if (produced.kind === "api") {
    if (issuer.via === "login") throw new Error("a login produces user tokens only");
    await checkGrantable(table, issuer.facts, grants);
    return;
  }
  const self = issuer.via === "login" || produced.target?.lineageId === issuer.token.lineageId;
  if (!self || (issuer.via === "token" && issuer.token.kind !== "user")) {
    throw new ConnectError(
      "a login token can be refreshed only by itself; log in again (metalctl login)",
      Code.PermissionDenied,
    );
  }
}

/**
 * expiryLimits lists what bounds the expiry of a produced token: the server's maximum for its kind, the
 * lineage's bound (the creating API token's expiry or the login session's end), and the issuer's own
 * expiry whenever an API token produces a token other than itself.
 */
function expiryLimits(issuer: Issuer, produced: Produced, now: Date, lifetimes: Lifetimes): ExpiryLimit[] {
  const limits: ExpiryLimit[] = [];
  const maxMs = produced.kind === "user" ? lifetimes.userTokenLifetimeMs : lifetimes.maxTokenLifetimeMs;
  const max = new Date(now.getTime() + maxMs);
  limits.push({
    at: max,
    error: (field) =>
      new ConnectError(
        `${field}: at most ${describeMs(maxMs)} from now (${max.toISOString()})`,
        Code.InvalidArgument,
      ),
  });
  const notAfter = produced.target?.notAfter;
  if (notAfter) {
    limits.push({
      at: notAfter,
      error: (field) =>
        new ConnectError(
          `${field}: this token cannot outlive ${produced.kind === "user" ? "its login session" : "the API token that created it"} (${notAfter.toISOString()})`,
          Code.PermissionDenied,
        ),
    });
  }
  if (issuer.via === "login") {
    limits.push({
      at: issuer.sessionEnd,
      error: (field) =>
        new ConnectError(
          `${field}: the login session ends ${issuer.sessionEnd.toISOString()}`,
          Code.PermissionDenied,
        ),
    });
  } else if (issuer.token.kind === "api" && produced.target?.lineageId !== issuer.token.lineageId) {
    const own = issuer.token.expiresAt;
    limits.push({
      at: own,
      error: (field) =>
        new ConnectError(
          `${field}: a token created or changed with an API token cannot outlive it (${own.toISOString()})`,
          Code.PermissionDenied,
        ),
    });
  }
  return limits;
}

/**
 * checkExpiry returns the requested expiry when every limit allows it, else throws naming `field` and
 * the limit; a missing or past expiry is InvalidArgument.
 */
export function checkExpiry(
  field: string,
  requested: Timestamp | undefined,
  issuer: Issuer,
  produced: Produced,
  now: Date,
  lifetimes: Lifetimes,
): Date {
  if (!requested) {
    throw new ConnectError(
      `${field}: required; tokens must expire (at most ${describeMs(lifetimes.maxTokenLifetimeMs)})`,
      Code.InvalidArgument,
    );
  }
  const at = timestampDate(requested);
  if (at.getTime() <= now.getTime()) {
    throw new ConnectError(`${field}: must be in the future`, Code.InvalidArgument);
  }
  const exceeded = expiryLimits(issuer, produced, now, lifetimes).find((l) => at > l.at);
  if (exceeded) throw exceeded.error(field);
  return at;
}

/** clampExpiry returns `wanted` cut back to every limit: the expiry of a token whose caller named none. */
export function clampExpiry(
  wanted: Date,
  issuer: Issuer,
  produced: Produced,
  now: Date,
  lifetimes: Lifetimes,
): Date {
  const limits = expiryLimits(issuer, produced, now, lifetimes).map((l) => l.at.getTime());
  return new Date(Math.min(wanted.getTime(), ...limits));
}

function describeMs(ms: number): string {
  const days = ms / 86_400_000;
  if (days >= 1) return `${Math.floor(days)} days`;
  const hours = ms / 3_600_000;
  return hours >= 1 && Number.isInteger(hours) ? `${hours} hours` : `${Math.round(ms / 60_000)} minutes`;
}
