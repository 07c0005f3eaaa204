import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../../src/cli/output/template.js";

const data = {
  name: "web",
  f: 1.5,
  neg: -2,
  t: true,
  nul: null,
  ips: ["10.0.0.1", "10.0.0.2"],
  nums: [3, 1, 2],
  meta: { labels: { env: "prod" }, generation: 3 },
  uni: "héllo\tw\u0001\u00ad😀",
};

const run = (tpl: string) => parseTemplate(tpl).execute(data);

// Every expected output was produced by Go 1.19's text/template on the same data.
describe("printf follows Go's fmt", () => {
  it.each([
    [
      '{{ printf "%-6s|%6s|%.2s|%5.2f|%q|%v|%+v" .name .name .name .f .name .ips .meta }}',
      'web   |   web|we| 1.50|"web"|[10.0.0.1 10.0.0.2]|map[generation:3 labels:map[env:prod]]',
    ],
    ['{{ printf "%x %X %o %O %b %#x %#o" 255 255 8 8 5 255 8 }}', "ff FF 10 0o10 101 0xff 010"],
    [
      '{{ printf "%e %E %g %G %08.3f %+d % d" 1234.5678 1234.5678 0.000012 1e21 -3.14159 5 5 }}',
      "1.234568e+03 1.234568E+03 1.2e-05 1E+21 -003.142 +5  5",
    ],
    [
      '{{ printf "%c %U %#U %T %T %T %t" 65 65 65 .meta .f .t .t }}',
      "A U+0041 U+0041 'A' map[string]interface {} float64 bool true",
    ],
    ['{{ printf "%5d|%-5d|%05d|%.3d|%x|%X" .neg .neg .neg 7 "hi" "hi" }}', "   -2|-2   |-0002|007|6869|6869"],
    [
      '{{ printf "%q|%+q|%#q|%q|%q" .uni .uni "a" 65 "\\"\\\\" }}',
      '"héllo\\tw\\x01\\u00ad😀"|"h\\u00e9llo\\tw\\x01\\u00ad\\U0001f600"|`a`|\'A\'|"\\"\\\\"',
    ],
    [
      '{{ printf "%s|%v|%d|%3v" .ips .nums .nums .nums }}',
      "[10.0.0.1 10.0.0.2]|[3 1 2]|[3 1 2]|[  3   1   2]",
    ],
    [
      '{{ printf "%v %v %v %v %v" 0.1 1234567.5 123456.5 0.00001 -0.5 }}',
      "0.1 1.2345675e+06 123456.5 1e-05 -0.5",
    ],
    ['{{ printf "%g %.3g %.3g %.10g %g" 100000.5 100000.0 123.0 1.5 3.25 }}', "100000.5 1e+05 123 1.5 3.25"],
    [
      '{{ printf "%6.2f|%-8.3f|%08.2f|%+.1f|%.0f|%.0f|%.2f" 3.14159 2.5 -1.5 2.25 2.5 3.5 1.005 }}',
      "  3.14|2.500   |-0001.50|+2.2|2|4|1.00",
    ],
    [
      '{{ printf "%[2]s %[1]s" "a" "b" }}|{{ printf "%[3]s" "a" }}|{{ printf "%*d|%-*d" 5 1 4 2 }}',
      "b a|%!s(BADINDEX)|    1|2   ",
    ],
    [
      '{{ printf "%d %s" 1 }}|{{ printf "%d" "x" 3 }}|{{ printf "%!" }}|{{ printf "%" }}|{{ printf "%z" 3 }}|{{ printf "100%%" }}',
      "1 %!s(MISSING)|%!d(string=x)%!(EXTRA int=3)|%!!(MISSING)|%!(NOVERB)|%!z(int=3)|100%",
    ],
    [
      '{{ printf "%s" .nul }}|{{ printf "%v" .nul }}|{{ printf "%d" .t }}|{{ printf "%s" 3 }}|{{ printf "%t" "x" }}|{{ printf "%d" .f }}',
      "%!s(<nil>)|<nil>|%!d(bool=true)|%!s(int=3)|%!t(string=x)|%!d(float64=1.5)",
    ],
  ])("%s", (tpl, want) => {
    expect(run(tpl)).toBe(want);
  });

  it("treats fields the JSON leaves out as the zero value the verb expects", () => {
    expect(run('{{ printf "[%-4s][%03d][%t][%.1f]" .description .count .flag .ratio }}')).toBe(
      "[    ][000][false][0.0]",
    );
  });
});
