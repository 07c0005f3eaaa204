import { describe, expect, it } from "vitest";
import { age, until } from "../../../src/cli/output/time.js";

const NOW = new Date("2026-01-01T12:00:00Z");
const later = (ms: number) => new Date(NOW.getTime() + ms);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe("compact durations", () => {
  it("round to the nearest unit, so a fresh 8 h token reads 8h and a fresh 1 h token 60m", () => {
    expect(until(later(8 * H - 3 * S), NOW)).toBe("in 8h");
    expect(until(later(1 * H - 2 * S), NOW)).toBe("in 60m");
    expect(until(later(30 * D - 5 * S), NOW)).toBe("in 30d");
    expect(until(later(7 * H + 29 * M), NOW)).toBe("in 7h");
    expect(until(later(7 * H + 31 * M), NOW)).toBe("in 8h");
  });

  it("keep their unit boundaries", () => {
    expect(age(later(-90 * S), NOW)).toBe("90s");
    expect(age(later(-(119 * M + 40 * S)), NOW)).toBe("2h");
    expect(age(later(-47 * H), NOW)).toBe("47h");
    expect(age(later(-3 * D), NOW)).toBe("3d");
    expect(age(undefined, NOW)).toBe("-");
    expect(until(later(-S), NOW)).toBe("expired");
  });
});
