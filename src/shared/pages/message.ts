import { escapeHtml, layout } from "./layout.js";

/** messagePage renders a result or error page: a title and one paragraph. */
export function messagePage(title: string, message: string, opts: { alert?: boolean } = {}): string {
  const role = opts.alert ? ' role="alert"' : "";
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p${role}>${escapeHtml(message)}</p>`);
}
