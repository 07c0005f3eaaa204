import { describe, expect, it } from "vitest";
import { LightHeaders } from "../../../src/cli/api/light-headers.js";

type Outcome = { value: unknown } | { error: string };

/** outcome runs fn and returns what it gave or the kind of error it threw. */
function outcome(fn: () => unknown): Outcome {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: (err as Error).constructor.name };
  }
}

// The lightweight class and Node's own get the same input; everything observable must match.
function both(init?: unknown): [Headers, Headers] {
  const real = outcome(() => new Headers(init as ConstructorParameters<typeof Headers>[0]));
  const light = outcome(() => new LightHeaders(init as never));
  expect(Object.hasOwn(light, "error") ? light : { ok: true }).toEqual(
    Object.hasOwn(real, "error") ? real : { ok: true },
  );
  return "value" in real && "value" in light
    ? [real.value as Headers, light.value as unknown as Headers]
    : [new Headers(), new LightHeaders() as unknown as Headers];
}

function observed(h: Headers) {
  return {
    entries: [...h],
    keys: [...h.keys()],
    values: [...h.values()],
    each: (() => {
      const seen: string[][] = [];
      h.forEach((v, k) => {
        seen.push([k, v]);
      });
      return seen;
    })(),
    setCookie: h.getSetCookie(),
    tag: Object.prototype.toString.call(h),
  };
}

const names = [
  "Content-Type",
  "content-type",
  "X-Request-Id",
  "set-cookie",
  "Set-Cookie",
  "grpc-status",
  "a",
  "z",
];
const badNames = ["", "bad name", "naïve", "x:y", "a\r\nb", "€", "(x)"];
const values = ["v", "  padded\t", "a, b", "", "x=1; Path=/", "\tinner value\t", "ÿ"];
const badValues = ["a\r\nInjected: 1", "nul\0", "line\nbreak", "€uro"];

describe("LightHeaders", () => {
  it("takes the same inits as Node's Headers, and refuses the same ones", () => {
    const inits: unknown[] = [
      undefined,
      {},
      { A: "1", b: "2", "Set-Cookie": "c=1" },
      [
        ["A", "1"],
        ["a", "2"],
        ["set-cookie", "x"],
        ["set-cookie", "y"],
      ],
      new Map([["k", "v"]]),
      new Headers({ x: "1" }),
      [["only-one"]],
      [["a", "b", "c"]],
      ["ab"],
      null,
      "a=b",
      42,
      { "bad name": "x" },
      { ok: "a\nb" },
      { n: 5 },
    ];
    for (const init of inits) {
      const [real, light] = both(init);
      expect(observed(light), JSON.stringify(init) ?? String(init)).toEqual(observed(real));
    }
  });

  it("gives the same answers after the same operations", () => {
    let seed = 7;
    const pick = <T>(xs: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return xs[seed % xs.length] as T;
    };
    for (let round = 0; round < 300; round++) {
      const [real, light] = both();
      for (let step = 0; step < 12; step++) {
        const op = pick(["append", "set", "delete", "get", "has", "getSetCookie"] as const);
        const name = pick([...names, ...names, pick(badNames)]);
        const value = pick([...values, ...values, pick(badValues)]);
        const run = (h: Headers) => () => {
          switch (op) {
            case "append":
              return h.append(name, value);
            case "set":
              return h.set(name, value);
            case "delete":
              return h.delete(name);
            case "get":
              return h.get(name);
            case "has":
              return h.has(name);
            case "getSetCookie":
              return h.getSetCookie();
          }
        };
        expect(outcome(run(light)), `${op}(${JSON.stringify(name)}, ${JSON.stringify(value)})`).toEqual(
          outcome(run(real)),
        );
      }
      expect(observed(light)).toEqual(observed(real));
    }
  });

  it("never lets CR or LF into a value, so no header can be injected", () => {
    const h = new LightHeaders();
    for (const v of badValues.slice(0, 3)) {
      expect(() => h.set("x", v)).toThrow(TypeError);
      expect(() => h.append("x", v)).toThrow(TypeError);
      expect(() => new LightHeaders({ x: v })).toThrow(TypeError);
    }
    expect([...h]).toEqual([]);
  });
});
