import { describe, expect, it } from "vitest";
import { newAuditEntryId } from "../../../src/server/audit/entry-id.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newAuditEntryId", () => {
  it("is a UUID version 7 carrying the time in its first 48 bits", () => {
    const at = Date.UTC(2026, 11, 7, 19, 30, 0, 123);
    const id = newAuditEntryId(at);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts by time as text, and ids of the same millisecond differ", () => {
    const ids = [0, 1, 255, 256, 65_536, Date.now(), Date.now() + 1].map(newAuditEntryId);
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => newAuditEntryId(1_700_000_000_000)));
    expect(same.size).toBe(1000);
  });
});
