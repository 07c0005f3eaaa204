import { describe, expect, it } from "vitest";
import { createEscapeFilter } from "../../../src/cli/console/escape.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("console escape filter", () => {
  it("leaves on ~. at the start and after Enter, sending what came before", () => {
    expect(createEscapeFilter()(bytes("~.")).leave).toBe(true);
    const r = createEscapeFilter()(bytes("ls\r~.rest"));
    expect(r.leave).toBe(true);
    expect(text(r.send)).toBe("ls\r");
  });

  it("passes ~ inside a line, ~~ as one ~, and ~x as both", () => {
    const f = createEscapeFilter();
    const a = f(bytes("a~.b\r"));
    expect(a.leave).toBe(false);
    expect(text(a.send)).toBe("a~.b\r");
    expect(text(f(bytes("~~\r")).send)).toBe("~\r");
    expect(text(f(bytes("~x")).send)).toBe("~x");
  });

  it("waits for the byte after a ~ that ends a chunk, and answers ~? with help", () => {
    const f = createEscapeFilter();
    expect(text(f(bytes("\n~")).send)).toBe("\n");
    expect(f(bytes(".")).leave).toBe(true);
    const h = createEscapeFilter()(bytes("~?"));
    expect(h.help).toBe(true);
    expect(h.send.length).toBe(0);
  });
});
