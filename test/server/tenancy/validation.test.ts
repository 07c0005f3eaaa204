import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { inviteExpiry, tenantSlug } from "../../../src/server/tenancy/validation.js";

function fails(fn: () => unknown, field: string) {
  const err = (() => {
    try {
      fn();
    } catch (e) {
      return ConnectError.from(e);
    }
    return undefined;
  })();
  expect(err?.code).toBe(Code.InvalidArgument);
  expect(err?.rawMessage.startsWith(`${field}: `)).toBe(true);
}

describe("tenantSlug", () => {
  it.each([
    ["Acme Corp", "acme-corp"],
    ["  Müller & Söhne GmbH ", "muller-sohne-gmbh"],
    ["--x--y--", "x-y"],
    ["a".repeat(80), "a".repeat(63)],
    [`${"a".repeat(62)} b`, "a".repeat(62)],
  ])("derives %j as %j", (name, slug) => {
    expect(tenantSlug("", name)).toBe(slug);
  });

  it("keeps a valid explicit id and rejects bad ones", () => {
    expect(tenantSlug("my-org-1", "whatever")).toBe("my-org-1");
    for (const bad of ["A", "a", "-ab", "ab-", "a_b", "a.b", "ä-b", "a".repeat(64)]) {
      fails(() => tenantSlug(bad, "name"), "id");
    }
    fails(() => tenantSlug("", "ü"), "id");
  });
});

describe("inviteExpiry", () => {
  const now = new Date("2030-01-01T00:00:00Z");
  it("defaults to seven days and accepts the window", () => {
    expect(inviteExpiry(now, undefined).toISOString()).toBe("2030-01-08T00:00:00.000Z");
    expect(inviteExpiry(now, new Date("2030-01-31T00:00:00Z")).toISOString()).toBe(
      "2030-01-31T00:00:00.000Z",
    );
  });

  it("rejects the past, now and more than 30 days", () => {
    fails(() => inviteExpiry(now, new Date("2029-12-31T23:59:59Z")), "expires_at");
    fails(() => inviteExpiry(now, now), "expires_at");
    fails(() => inviteExpiry(now, new Date("2030-01-31T00:00:01Z")), "expires_at");
  });
});
