import { describe, expect, it } from "vitest";
import {
  compareVersions,
  splitOsVersion,
  versionHasPrefix,
  versionMatches,
} from "../../../src/server/catalog/versions.js";

describe("image versions", () => {
  it("orders dotted versions numerically", () => {
    const sorted = ["24.04.9", "24.04.20251120", "22.04.20251201", "24.10", "24.04", "3.0"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["3.0", "22.04.20251201", "24.04", "24.04.9", "24.04.20251120", "24.10"]);
  });

  it("splits image ids into os and version", () => {
    expect(splitOsVersion("ubuntu-24.04.20251120")).toEqual({ os: "ubuntu", version: "24.04.20251120" });
    expect(splitOsVersion("firewall-ubuntu-3.0")).toEqual({ os: "firewall-ubuntu", version: "3.0" });
    expect(splitOsVersion("ubuntu")).toBeUndefined();
    expect(splitOsVersion("ubuntu-24.")).toBeUndefined();
    expect(splitOsVersion("ubuntu-24..1")).toBeUndefined();
  });

  it("matches versions by prefix on dot boundaries and by comparison", () => {
    expect(versionHasPrefix("24.04.1", "24.04")).toBe(true);
    expect(versionHasPrefix("24.041", "24.04")).toBe(false);
    expect(versionMatches("24.04.1", "*")).toBe(true);
    expect(versionMatches("24.04.1", ">= 22.04")).toBe(true);
    expect(versionMatches("20.04.1", ">= 22.04")).toBe(false);
    expect(versionMatches("22.04.5", "<= 22.04")).toBe(true);
    expect(versionMatches("22.04.5", "> 22.04")).toBe(false);
    expect(versionMatches("22.10", "> 22.04")).toBe(true);
    expect(versionMatches("22.10", "< 22.04")).toBe(false);
    expect(versionMatches("12.5", "12")).toBe(true);
    expect(versionMatches("13.0", "12")).toBe(false);
  });
});
