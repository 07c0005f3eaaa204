import { describe, expect, it } from "vitest";
import { parseTemplate, templateFunctions } from "../../../src/cli/output/template.js";

// `date` formats in the local zone, as sprig does; pin it so the golden output holds everywhere.
process.env.TZ = "Europe/Berlin";

const NOW = new Date("2026-11-20T12:00:00Z");

/** A machine as the proto JSON mapping prints it (empty fields left out). */
const machine = {
  uuid: "0b0c6d3e-1111-4a4a-9c9c-000000000001",
  meta: {
    labels: { env: "prod", "metal-stack.io/rack": "r1" },
    generation: "3",
    createdAt: "2026-11-18T10:30:00Z",
  },
  partition: "fra-equ01",
  size: "c1-medium-x86",
  hardware: { cpuCores: 16, memory: "68719476736" },
  allocation: { name: "web-1", hostname: "web-1", networks: [{ network: "internet", ips: ["212.34.89.7"] }] },
  ips: ["10.0.0.1", "10.0.0.2"],
  cores: [3, 1, 2],
  load: 0.25,
  locked: false,
};

const run = (tpl: string, data: unknown = machine) => parseTemplate(tpl).execute(data, NOW);

/**
 * Golden cases per function: template → output. The outputs of Go's own functions were checked
 * against Go 1.19's text/template with the same data; the sprig ones follow sprig v3's source
 * (argument order, `split` giving a map of _0, _1, …), reading protobuf's RFC 3339 timestamps.
 */
const golden: Record<string, [string, string][]> = {
  and: [
    ["{{ and .partition .size }}", "c1-medium-x86"],
    ["{{ and .partition .locked .size }}", "false"],
    ['{{ if and (eq .partition "fra-equ01") (gt .hardware.cpuCores 8) }}big{{ end }}', "big"],
  ],
  or: [
    ["{{ or .description .allocation.name }}", "web-1"],
    ['{{ or .locked 0 "" }}', ""],
  ],
  not: [["{{ not .locked }} {{ not .ips }} {{ not .description }}", "true false true"]],
  eq: [
    [
      '{{ eq .partition "fra-equ01" }} {{ eq .hardware.cpuCores 16 }} {{ eq .size "a" "b" "c1-medium-x86" }}',
      "true true true",
    ],
  ],
  ne: [['{{ ne .partition "fra-equ01" }} {{ ne .hardware.cpuCores 8 }}', "false true"]],
  lt: [['{{ lt .hardware.cpuCores 32 }} {{ lt .size "a" }}', "true false"]],
  le: [["{{ le .hardware.cpuCores 16 }} {{ le .load 0.2 }}", "true false"]],
  gt: [['{{ gt .hardware.cpuCores 8 }} {{ gt .partition "fra" }}', "true true"]],
  ge: [["{{ ge .hardware.cpuCores 17 }} {{ ge .load 0.25 }}", "false true"]],
  index: [
    ['{{ index .meta.labels "metal-stack.io/rack" }}', "r1"],
    ['{{ index .ips 1 }} {{ index .allocation.networks 0 "ips" 0 }}', "10.0.0.2 212.34.89.7"],
  ],
  len: [["{{ len .ips }} {{ len .meta.labels }} {{ len .partition }}", "2 2 9"]],
  print: [
    ['{{ print .hardware.cpuCores 2 "x" .load }}', "16 2x0.25"],
    ["{{ print .ips .meta.labels }}", "[10.0.0.1 10.0.0.2] map[env:prod metal-stack.io/rack:r1]"],
  ],
  println: [["{{ println .partition 16 }}", "fra-equ01 16\n"]],
  printf: [
    ['{{ printf "%-10s|%5s|%.3s" .partition .size .uuid }}', "fra-equ01 |c1-medium-x86|0b0"],
    [
      '{{ printf "%d %5.2f %v %q" .hardware.cpuCores .load .ips .size }}',
      '16  0.25 [10.0.0.1 10.0.0.2] "c1-medium-x86"',
    ],
    ['{{ printf "%d %s" .partition }}', "%!d(string=fra-equ01) %!s(MISSING)"],
  ],
  join: [
    ['{{ join ", " .ips }}', "10.0.0.1, 10.0.0.2"],
    ['{{ join "," .cores }}|{{ join "," .missing }}|{{ join "," .partition }}', "3,1,2||fra-equ01"],
  ],
  upper: [["{{ upper .partition }} {{ .size | upper }}", "FRA-EQU01 C1-MEDIUM-X86"]],
  lower: [['{{ lower "FRA" }}{{ lower .description }}', "fra"]],
  default: [
    ['{{ .description | default "none" }} {{ default "none" .partition }}', "none fra-equ01"],
    ['{{ default "-" .locked }} {{ default 8 .hardware.cpuCores }}', "- 16"],
  ],
  trunc: [["{{ trunc 8 .uuid }} {{ trunc -3 .size }} {{ trunc 50 .partition }}", "0b0c6d3e x86 fra-equ01"]],
  contains: [['{{ contains "medium" .size }} {{ contains "large" .size }}', "true false"]],
  hasPrefix: [['{{ hasPrefix "fra" .partition }} {{ .size | hasPrefix "c2" }}', "true false"]],
  split: [
    ['{{ (split "-" .size)._1 }}', "medium"],
    ['{{ range $k, $v := split "." (index .ips 0) }}{{ $k }}={{ $v }} {{ end }}', "_0=10 _1=0 _2=0 _3=1 "],
  ],
  toJson: [
    ["{{ toJson .meta.labels }}", '{"env":"prod","metal-stack.io/rack":"r1"}'],
    [
      "{{ toJson .allocation.networks }} {{ toJson .missing }}",
      '[{"ips":["212.34.89.7"],"network":"internet"}] null',
    ],
  ],
  date: [
    ['{{ date "2006-01-02 15:04 MST" .meta.createdAt }}', "2026-11-18 11:30 CET"],
    [
      '{{ date "Jan _2 03:04:05PM Z07:00" .meta.createdAt }}|{{ date "2006" .missing }}',
      "Nov 18 11:30:00AM +01:00|",
    ],
  ],
  ago: [
    ["{{ ago .meta.createdAt }}", "49h30m0s"],
    ['{{ ago "2026-11-20T11:59:15Z" }} {{ ago 1795175990 }}', "45s 10s"],
  ],
};

describe("template functions (golden)", () => {
  it("has golden cases for every function", () => {
    expect(Object.keys(golden).sort()).toEqual([...templateFunctions]);
  });

  for (const [name, cases] of Object.entries(golden)) {
    it.each(cases)(`${name}: %s`, (tpl, want) => {
      expect(run(tpl)).toBe(want);
    });
  }
});

describe("fields the JSON leaves out count as their zero value", () => {
  // protobuf's JSON mapping drops empty strings, zeros and empty lists, so where Go would compare
  // or index a nil these behave as if the field held its zero value.
  it.each([
    ['{{ eq .description "" }} {{ eq .missing 0 }} {{ ne .missing false }}', "true true false"],
    ['{{ index .meta.labels "nope" }} {{ index .missing "x" }}', "<no value> <no value>"],
    ["{{ len .missing }} {{ range .missing }}x{{ end }}", "0 "],
    ['{{ printf "%s|%d" .description .missing }} {{ upper .description }}.', "|0 ."],
  ])("%s", (tpl, want) => {
    expect(run(tpl)).toBe(want);
  });
});

describe("template function errors point at the call", () => {
  it.each([
    ["{{ index .ips 5 }}", "template:1:4: error calling index: index out of range: 5"],
    ['{{ index .ips "a" }}', "template:1:4: error calling index: cannot index []interface {} with string"],
    ["{{ len .hardware.cpuCores }}", "template:1:4: error calling len: len of type int"],
    [
      "{{ eq .partition 3 }}",
      "template:1:4: error calling eq: incompatible types for comparison: string and int",
    ],
    ["{{ lt .locked true }}", "template:1:4: error calling lt: invalid type for comparison: bool"],
    ["{{ eq .ips .ips }}", "template:1:4: error calling eq: non-comparable type []interface {}"],
    [
      "x\n  {{ upper .hardware.cpuCores }}",
      "template:2:6: error calling upper: argument 1 must be a string, got int",
    ],
    ['{{ trunc "3" .size }}', "template:1:4: error calling trunc: argument 1 must be an integer, got string"],
    ['{{ date "2006" .partition }}', "template:1:4: error calling date: argument 2 is not a time"],
    ["{{ .partition | ago }}", "template:1:17: error calling ago: argument 1 is not a time"],
    ["{{ printf 3 }}", "template:1:4: error calling printf: the format must be a string, got int"],
  ])("%s", (tpl, message) => {
    expect(() => run(tpl)).toThrow(message);
  });

  it.each([
    ['{{ join "," }}', "template:1:4: wrong number of args for join: want 2 got 1"],
    ["{{ .ips | join }}", "template:1:11: wrong number of args for join: want 2 got 1"],
    ["{{ not 1 2 }}", "template:1:4: wrong number of args for not: want 1 got 2"],
    ["{{ eq 1 }}", "template:1:4: wrong number of args for eq: want at least 2 got 1"],
    ["{{ default }}", "template:1:4: wrong number of args for default: want 1 to 2 got 0"],
    ["{{ sha256sum .uuid }}", 'template:1:4: function "sha256sum" not defined'],
  ])("checks %s before running", (tpl, message) => {
    expect(() => parseTemplate(tpl)).toThrow(message);
  });
});
