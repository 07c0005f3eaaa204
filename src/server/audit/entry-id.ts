import { randomUUID } from "node:crypto";

/**
 * newAuditEntryId returns a UUID version 7 (RFC 9562) for an audit entry: 48 bits of `atMs` (epoch
 * ms) then 74 random bits. Entries written one after the other thus get ids that sort by time, so
 * the primary-key and request-ID indexes grow at their end instead of at random places; with
 * random (v4) ids the audit insert was the largest cost of an audited call on SQLite.
 */
export function newAuditEntryId(atMs: number): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, variant V already RFC 9562
  const time = Math.max(0, Math.floor(atMs)).toString(16).padStart(12, "0").slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
