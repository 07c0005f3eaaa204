import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/errors.js";
import { parseTemplate } from "../../../src/cli/output/template.js";

const data = {
  id: "m-1",
  name: "web",
  meta: { labels: { env: "prod", team: "a" }, generation: 3 },
  ips: ["10.0.0.1", "10.0.0.2"],
  nested: [{ a: 1 }, { a: 2 }],
  nums: [3, 1, 2],
  empty: [],
  off: false,
  nul: null,
};

const run = (tpl: string, d: unknown = data) => parseTemplate(tpl).execute(d);

// Expected outputs below were checked against Go 1.19's text/template with the same data, except for
// range over an integer (Go 1.22) and else with (Go 1.23).
describe("template syntax", () => {
  it("prints fields, nested paths, the dot and $", () => {
    expect(run("{{ .id }} {{.name}} {{ .meta.labels.env }} {{ .meta.generation }}")).toBe("m-1 web prod 3");
    expect(run("{{ . }}", "x")).toBe("x");
    expect(run("{{ range .ips }}{{ $.id }}{{ end }}")).toBe("m-1m-1");
  });

  it("prints missing fields as <no value> and collections as Go does", () => {
    expect(
      run("{{ .nope }}|{{ .meta.nope.deeper }}|{{ .nul }}|{{ .meta.labels }}|{{ .ips }}|{{ .nested }}"),
    ).toBe("<no value>|<no value>|<no value>|map[env:prod team:a]|[10.0.0.1 10.0.0.2]|[map[a:1] map[a:2]]");
  });

  it("ranges over lists and maps (sorted keys), with variables and else", () => {
    expect(run("{{ range .ips }}[{{ . }}]{{ end }}")).toBe("[10.0.0.1][10.0.0.2]");
    expect(run("{{ range .meta.labels }}{{ . }},{{ end }}")).toBe("prod,a,");
    expect(run("{{ range $k, $v := .meta.labels }}{{ $k }}={{ $v }};{{ end }}")).toBe("env=prod;team=a;");
    expect(run("{{ range $i, $e := .nums }}{{ $i }}:{{ $e }} {{ end }}")).toBe("0:3 1:1 2:2 ");
    expect(run("{{ range $e := .nums }}{{ $e }}{{ end }}")).toBe("312");
    expect(run("{{ range .empty }}x{{ else }}none{{ end }}{{ range .nope }}x{{ else }}!{{ end }}")).toBe(
      "none!",
    );
    expect(run("{{ range 3 }}{{ . }}{{ end }}")).toBe("012");
  });

  it("stops or skips a round with break and continue", () => {
    expect(run("{{ range .nums }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}")).toBe("32");
    expect(run("{{ range .nums }}{{ if eq . 1 }}{{ break }}{{ end }}{{ . }}{{ end }}")).toBe("3");
  });

  it("branches on Go truthiness with else and else if", () => {
    expect(
      run("{{ if .off }}y{{ else }}n{{ end }}{{ if .ips }}y{{ end }}{{ if .empty }}y{{ else }}n{{ end }}"),
    ).toBe("nyn");
    expect(run('{{ if eq .name "x" }}x{{ else if eq .name "web" }}web{{ else }}o{{ end }}')).toBe("web");
    expect(run('{{ if eq .name "x" }}x{{ else if eq .name "y" }}y{{ else }}o{{ end }}')).toBe("o");
  });

  it("moves the dot with with, and takes else or else with when empty", () => {
    expect(run("{{ with .meta.labels }}{{ .env }}{{ end }}{{ with .nope }}x{{ else }}-{{ end }}")).toBe(
      "prod-",
    );
    expect(run("{{ with $l := .meta.labels }}{{ $l.team }}{{ $.id }}{{ end }}")).toBe("am-1");
    expect(run("{{ with .nope }}a{{ else with .name }}{{ . }}{{ end }}")).toBe("web");
  });

  it("declares, assigns and scopes variables like Go", () => {
    expect(run("{{ $x := .name }}{{ range .ips }}{{ $x }}:{{ . }} {{ end }}")).toBe(
      "web:10.0.0.1 web:10.0.0.2 ",
    );
    expect(run("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}")).toBe("2");
    expect(run("{{ $x := 1 }}{{ range .nums }}{{ $x = . }}{{ end }}{{ $x }}")).toBe("2");
    expect(() => parseTemplate("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}")).toThrow(
      'undefined variable "$y"',
    );
  });

  it("pipes values into the last argument and groups with parentheses", () => {
    expect(run('{{ (index .nested 0).a }} {{ .name | printf "%s-%s" "x" }} {{ (len .ips) }}')).toBe(
      "1 x-web 2",
    );
    expect(run('{{ .meta.generation | printf "%03d" | printf "[%s]" }}')).toBe("[003]");
  });

  it("reads Go literals", () => {
    expect(run("{{ -3 }} {{ 0x1F }} {{ 'a' }} {{ 0b101 }} {{ 0o17 }} {{ 1_000 }} {{ 0.1 }}")).toBe(
      "-3 31 97 5 15 1000 0.1",
    );
    expect(run('{{ "\\x41\\u00e9\\t" }}{{ `raw\\n` }} {{ true }} {{ print nil }}')).toBe(
      "Aé\traw\\n true <nil>",
    );
  });

  it("trims whitespace around {{- and -}} and drops comments", () => {
    expect(run("a  {{- .id -}}  b")).toBe("am-1b");
    expect(run("{{ range .ips -}}\n  {{ . }}\n{{- end }}")).toBe("10.0.0.110.0.0.2");
    expect(run('{{- /* comment */ -}}  a {{- " b " -}} c')).toBe("a b c");
    expect(run("x {{/* c */}} y")).toBe("x  y");
    expect(run("{{ .id\n}}")).toBe("m-1");
  });
});

describe("template errors name the line and column", () => {
  it.each([
    ["{{ .id", "template:1:1: unclosed action: missing }}"],
    ["{{ range .ips }}x", "template:1:4: {{ range }} has no {{ end }}"],
    ["{{ end }}", "template:1:4: unexpected {{ end }}"],
    ["{{ else }}", "template:1:4: unexpected {{ else }}"],
    [
      "{{ if .x }}{{ else }}{{ else }}{{ end }}",
      "template:1:25: expected {{ end }} for {{ if }}, found a second {{ else }}",
    ],
    ["{{ range .x }}{{ else if .y }}{{ end }}", "template:1:23: {{ else if }} cannot follow {{ range }}"],
    ["{{ id }}", 'template:1:4: function "id" not defined'],
    ["{{ $y }}", 'template:1:4: undefined variable "$y"'],
    ["{{ $y = 1 }}", 'template:1:4: undefined variable "$y"'],
    ["{{ }}", "template:1:4: missing value for command"],
    ["{{ if }}x{{ end }}", "template:1:7: missing value for if"],
    ["{{ .a | .b }}", "template:1:9: .b is not a function, so it cannot take the piped value"],
    ["{{ .a 1 }}", "template:1:7: .a is not a function, so it takes no arguments"],
    ["{{ nil }}", "template:1:4: nil is not a command"],
    ["{{ break }}", "template:1:4: {{ break }} outside {{ range }}"],
    ["{{ range $a, $b, $c := .ips }}{{ end }}", "template:1:16: too many declarations in range"],
    ["{{ if $a, $b := .ips }}{{ end }}", "template:1:9: too many declarations in if"],
    ["{{ (1 }}", "template:1:7: unclosed left paren"],
    ["{{ 1) }}", "template:1:5: unexpected right paren"],
    ['{{ "open }}', "template:1:4: unterminated quoted string"],
    ["{{ 1x }}", 'template:1:4: bad number syntax: "1x"'],
    ["{{/* open }}", "template:1:1: unclosed comment"],
    [
      "a\nb {{ .meta.team-a }}",
      'template:2:16: unexpected character "-" in a name; for keys like "a-b" or "a/b" write index . "a-b"',
    ],
    ['{{ template "x" }}', "template:1:4: {{ template }} is not supported: metalctl runs a single template"],
    ["{{ .a ? }}", 'template:1:7: unexpected character U+003F "?" in action'],
  ])("rejects %j", (tpl, message) => {
    let err: unknown;
    try {
      parseTemplate(tpl);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toBe(message);
  });

  it.each([
    ["{{ range .name }}{{ end }}", "template:1:4: range can't iterate over string web"],
    ["{{ .name.x }}", "template:1:4: can't evaluate field x in type string"],
  ])("fails %j while running", (tpl, message) => {
    expect(() => run(tpl)).toThrow(message);
  });
});
