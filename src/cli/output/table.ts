/** TableOptions controls how rows are laid out. */
export interface TableOptions {
  noHeaders?: boolean;
  /** Bold headers (only when colour is allowed). */
  color?: boolean;
}

const GAP = "   ";

/** renderTable pads cells into aligned columns with an upper-case header line. */
export function renderTable(headers: string[], rows: string[][], opts: TableOptions = {}): string {
  const head = headers.map((h) => h.toUpperCase());
  const all = opts.noHeaders ? rows : [head, ...rows];
  const widths = headers.map((_, i) => Math.max(0, ...all.map((r) => displayWidth(r[i] ?? ""))));
  const lines = all.map((row, ri) => {
    const cells = row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!)));
    const line = cells.join(GAP).trimEnd();
    return opts.color && !opts.noHeaders && ri === 0 ? `\x1b[1m${line}\x1b[0m` : line;
  });
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** indent shifts every non-empty line of a block two spaces to the right (a section under a heading). */
export function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
}

/** renderMarkdown renders rows as a GitHub-flavoured markdown table. */
export function renderMarkdown(headers: string[], rows: string[][], opts: TableOptions = {}): string {
  const esc = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
  const head = headers.map((h) => h.toUpperCase());
  const body = rows.map((r) => r.map(esc));
  const widths = head.map((h, i) =>
    Math.max(3, displayWidth(h), ...body.map((r) => displayWidth(r[i] ?? ""))),
  );
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i]!)).join(" | ")} |`;
  const out = opts.noHeaders ? [] : [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`];
  for (const r of body) out.push(line(r));
  return out.length ? `${out.join("\n")}\n` : "";
}

function pad(s: string, width: number): string {
  return s + " ".repeat(Math.max(0, width - displayWidth(s)));
}

/** Colour escapes (SGR) take no room on the terminal, so they do not count towards a cell's width. */
function displayWidth(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC of colour sequences is the point
  return [...s.replace(/\x1b\[[0-9;]*m/g, "")].length;
}
