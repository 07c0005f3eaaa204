import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/errors.js";
import { parseTemplate } from "../../../src/cli/output/template.js";

const data = {
  id: "m-1",
  name: "web",
  meta: { labels: { env: "prod", team: "a" }, generation: 3 },
  ips: ["10.0.0.1", "10.0.0.2"],
  empty: [],
  off: false,
};

const run = (tpl: string, d: unknown = data) => parseTemplate(tpl).execute(d);

describe("template", () => {
  it("prints fields and nested paths", () => {
    expect(run("{{ .id }} {{.name}} {{ .meta.labels.env }} {{ .meta.generation }}")).toBe("m-1 web prod 3");
  });

  it("prints missing fields as <no value> and objects as JSON", () => {
    expect(run("{{ .nope }}|{{ .meta.nope.deeper }}|{{ .meta.labels }}")).toBe(
      '<no value>|<no value>|{"env":"prod","team":"a"}',
    );
  });

  it("prints the whole value with a dot", () => {
    expect(run("{{ . }}", "x")).toBe("x");
  });

  it("ranges over lists and maps (sorted keys), with else for empty", () => {
    expect(run("{{ range .ips }}[{{ . }}]{{ end }}")).toBe("[10.0.0.1][10.0.0.2]");
    expect(run("{{ range .meta.labels }}{{ . }},{{ end }}")).toBe("prod,a,");
    expect(run("{{ range .empty }}x{{ else }}none{{ end }}")).toBe("none");
  });

  it("branches on truthiness like Go", () => {
    expect(run("{{ if .off }}yes{{ else }}no{{ end }}")).toBe("no");
    expect(run("{{ if .ips }}yes{{ end }}")).toBe("yes");
    expect(run("{{ if .empty }}yes{{ else }}no{{ end }}")).toBe("no");
  });

  it("trims whitespace around {{- and -}}", () => {
    expect(run("a  {{- .id -}}  b")).toBe("am-1b");
    expect(run("{{ range .ips -}}\n  {{ . }}\n{{- end }}")).toBe("10.0.0.110.0.0.2");
  });

  it.each([
    ["{{ .id", "missing }}"],
    ["{{ range .ips }}x", "missing {{ end }}"],
    ["{{ id }}", "is not a field"],
    ["{{ printf .id }}", "unsupported action"],
    ["{{ }}", "empty action"],
    ["{{ if }}x{{ end }}", "needs exactly one field"],
  ])("rejects %s as a usage error", (tpl, msg) => {
    let err: unknown;
    try {
      parseTemplate(tpl);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain(msg);
  });
});
