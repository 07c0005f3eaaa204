import { describe, expect, it } from "vitest";
import {
  contains,
  formatAddress,
  formatPrefix,
  isReserved,
  overlaps,
  type Prefix,
  parseAddress,
  parsePrefix,
} from "../../../src/server/ipam/cidr.js";

const prefix = (t: string) => parsePrefix(t) as Prefix;

describe("cidr", () => {
  it.each([
    ["10.0.0.1", "10.0.0.1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["::", "::"],
    ["::1", "::1"],
    ["fe80::", "fe80::"],
    ["2001:db8:1:0:1:1:1:1", "2001:db8:1:0:1:1:1:1"],
    ["::ffff:192.0.2.1", "::ffff:c000:201"],
  ])("formats %s canonically as %s", (input, canonical) => {
    expect(formatAddress(parseAddress(input)!)).toBe(canonical);
  });

  it("rejects text that is not an address", () => {
    for (const bad of ["", "10.0.0", "10.0.0.256", "2001:db8::1::2", "host", "10.0.0.1/24"]) {
      expect(parseAddress(bad)).toBeUndefined();
    }
  });

  it("parses prefixes and explains bad ones", () => {
    expect(formatPrefix(prefix("10.0.0.0/8"))).toBe("10.0.0.0/8");
    expect(formatPrefix(prefix("2001:DB8::/32"))).toBe("2001:db8::/32");
    expect(parsePrefix("10.1.0.0/8")).toBe('"10.1.0.0/8" has host bits set; did you mean 10.0.0.0/8?');
    expect(parsePrefix("10.0.0.0/33")).toBe('"10.0.0.0/33" has no valid prefix length (0-32)');
    expect(parsePrefix("10.0.0.0")).toBe('"10.0.0.0" is not a CIDR prefix (address/length)');
    expect(parsePrefix("x/8")).toBe('"x/8" does not start with an IP address');
  });

  it("tells containment, overlap and reserved addresses", () => {
    const p = prefix("192.168.1.0/24");
    expect(contains(p, parseAddress("192.168.1.200")!)).toBe(true);
    expect(contains(p, parseAddress("192.168.2.0")!)).toBe(false);
    expect(contains(p, parseAddress("::1")!)).toBe(false);
    expect(overlaps(p, prefix("192.168.0.0/16"))).toBe(true);
    expect(overlaps(p, prefix("192.168.2.0/24"))).toBe(false);
    expect(overlaps(p, prefix("::/0"))).toBe(false);
    expect(isReserved(p, parseAddress("192.168.1.0")!)).toBe(true);
    expect(isReserved(p, parseAddress("192.168.1.255")!)).toBe(true);
    expect(isReserved(p, parseAddress("192.168.1.1")!)).toBe(false);
  });
});
