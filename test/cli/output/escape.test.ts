import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatCandidates } from "../../../src/cli/completion/complete.js";
import { CliError, formatCliError } from "../../../src/cli/errors.js";
import { createIO } from "../../../src/cli/io.js";
import {
  escapeControls,
  escapeControlsKeepLines,
  escapeEncodedControls,
} from "../../../src/cli/output/escape.js";
import { type PrintOptions, render, type View } from "../../../src/cli/output/printer.js";
import { parseTemplate } from "../../../src/cli/output/template.js";

// What a hostile name can do on a terminal: set the window title (OSC), clear the screen (CSI),
// the same through the 8-bit CSI (C1), a NUL, a DEL, a carriage return that overwrites the line, a
// right-to-left override that shows the rest backwards.
const TITLE = "\x1b]0;pwned\x07";
const CLEAR = "\x1b[2J";
const C1_CSI = "\u009b2J";
const RLO = "\u202e";
const hostile = `web${TITLE}${CLEAR}${C1_CSI}\x00\x7f\rfake${RLO}1-bew`;

// Any C0 but line feed and tab, DEL, C1 or a bidi formatting character left raw in printed text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

interface Item {
  name: string;
  note: string;
}
const view: View<Item> = {
  columns: [
    { header: "Name", value: (i) => i.name, tone: () => "green" },
    { header: "Note", value: (i) => i.note },
  ],
  toJson: (i) => ({ name: i.name, note: i.note }),
};
const items: Item[] = [{ name: hostile, note: "two\nlines\tand a tab" }];
const opts = (format: PrintOptions["format"], extra: Partial<PrintOptions> = {}): PrintOptions => ({
  format,
  now: new Date(0),
  ...extra,
});

describe("escaping control characters", () => {
  it("shows every control character of one-line text as a visible escape", () => {
    expect(escapeControls(hostile)).toBe("web\\x1b]0;pwned\\x07\\x1b[2J\\x9b2J\\x00\\x7f\\rfake\\u202e1-bew");
    expect(escapeControls("a\nb\tc")).toBe("a\\nb\\tc");
    expect(escapeControls("Grüße, 東京 ✓")).toBe("Grüße, 東京 ✓");
  });

  it("shows bidi formatting characters as \\u escapes, so a name cannot read as another", () => {
    const bidi = "invoice\u202egpj.exe \u202a\u202b\u202c\u202d \u2066\u2067\u2068\u2069 \u200e\u200f\u061c";
    const shown =
      "invoice\\u202egpj.exe \\u202a\\u202b\\u202c\\u202d \\u2066\\u2067\\u2068\\u2069 \\u200e\\u200f\\u061c";
    expect(escapeControls(bidi)).toBe(shown);
    expect(escapeControlsKeepLines(`${bidi}\n`)).toBe(`${shown}\n`);
    expect(escapeControls("\u05e9\u05dc\u05d5\u05dd")).toBe("\u05e9\u05dc\u05d5\u05dd");
  });

  it("keeps line feeds and tabs in multi-line text", () => {
    expect(escapeControlsKeepLines(`a\n\tb${CLEAR}`)).toBe("a\n\tb\\x1b[2J");
  });

  it("escapes DEL and C1 that JSON and YAML printers leave raw, in each format's own syntax", () => {
    expect(escapeEncodedControls(JSON.stringify("a\u009bb\x7f"), "json")).toBe('"a\\u009bb\\u007f"');
    expect(escapeEncodedControls('x: "a\u009b"', "yaml")).toBe('x: "a\\x9b"');
  });
});

describe("printed output holds no raw control characters", () => {
  it("tables and markdown show them escaped; the table's own colours stay", () => {
    const table = render({ view, items, list: true }, opts("table", { color: true }));
    const ownColours = ["\x1b[1m", "\x1b[0m", "\x1b[32m"];
    expect(ownColours.reduce((t, sgr) => t.replaceAll(sgr, ""), table)).not.toMatch(RAW_CONTROL);
    expect(table).toContain("\x1b[32mweb\\x1b]0;pwned\\x07");
    expect(table).toContain("two\\nlines\\tand a tab");
    const md = render({ view, items, list: true }, opts("markdown"));
    expect(md).not.toMatch(RAW_CONTROL);
    expect(md).not.toContain("\n| fake");
  });

  it("JSON and YAML parse back to exactly the values the server sent", () => {
    for (const format of ["json", "yaml"] as const) {
      const text = render({ view, items, list: true }, opts(format));
      expect(text).not.toMatch(RAW_CONTROL);
      const back = format === "json" ? JSON.parse(text) : parse(text);
      expect(back).toEqual([{ name: hostile, note: "two\nlines\tand a tab" }]);
    }
  });

  it("templates and free text (describe) keep their lines and escape the rest", () => {
    const tpl = render(
      { view, items, list: true },
      opts("template", { template: parseTemplate("{{ .name }}|{{ .note }}") }),
    );
    expect(tpl).not.toMatch(RAW_CONTROL);
    expect(tpl).toContain("two\nlines\tand a tab");
    const detail = render(
      { json: { name: hostile }, text: () => `Name: ${hostile}\nNext line\n` },
      opts("table"),
    );
    expect(detail).toBe(
      "Name: web\\x1b]0;pwned\\x07\\x1b[2J\\x9b2J\\x00\\x7f\\rfake\\u202e1-bew\nNext line\n",
    );
  });

  it("errors from the server are escaped, as text and as JSON", () => {
    const e = new CliError(`project ${hostile} not found`, 5, `check ${TITLE}`);
    const text = formatCliError(e, { json: false, stack: `Error: ${CLEAR}\n    at x` });
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain("Error: project web\\x1b]0;pwned");
    expect(text).toContain("— check \\x1b]0;pwned\\x07");
    const json = formatCliError(e, { json: true });
    expect(json).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json).error.message).toBe(`project ${hostile} not found`);
  });

  it("notes and results written line by line are escaped", () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const io = createIO({ stdin: new PassThrough(), stdout, stderr, env: {} });
    io.out(`Logged in as ${hostile}`);
    io.err(`Default project: ${hostile}\nsecond line`);
    expect(stdout.read().toString()).toBe(`Logged in as ${escapeControls(hostile)}\n`);
    expect(stderr.read().toString()).toBe(`Default project: ${escapeControls(hostile)}\nsecond line\n`);
  });

  it("completion leaves out values it cannot put on a command line and escapes descriptions", () => {
    const out = formatCandidates([
      { value: "good", description: `named ${TITLE}` },
      { value: `evil\nrm -rf ~`, description: "x" },
      { value: `evil${CLEAR}`, description: "x" },
    ]);
    expect(out).toBe("good\tnamed \\x1b]0;pwned\\x07");
  });
});
