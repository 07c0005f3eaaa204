import { createHash } from "node:crypto";

/** escapeHtml makes text safe inside HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const CSS = `
:root{color-scheme:light dark;--bg:#f4f6f8;--card:#fff;--fg:#1b1f24;--muted:#57606a;--accent:#0b5cad;--accent-fg:#fff;--err:#b3261e;--border:#c9d1d9}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9da7b3;--accent:#4493f8;--accent-fg:#0d1117;--err:#ff7b72;--border:#30363d}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:1rem}
main{width:100%;max-width:26rem;background:var(--card);border:1px solid var(--border);border-radius:.75rem;padding:2rem 1.75rem;box-shadow:0 4px 16px rgba(0,0,0,.08)}
.brand{font-weight:700;letter-spacing:.02em;color:var(--muted);margin:0 0 .25rem;font-size:.9rem;text-transform:uppercase}
h1{font-size:1.5rem;margin:0 0 1rem}
p{margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.65rem .75rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--border);border-radius:.4rem}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button{width:100%;margin-top:1.25rem;padding:.7rem;font:inherit;font-weight:600;border:0;border-radius:.4rem;background:var(--accent);color:var(--accent-fg);cursor:pointer}
button.secondary{background:transparent;color:var(--fg);border:1px solid var(--border);margin-top:.75rem}
.error{color:var(--err);border-left:4px solid var(--err);padding:.25rem .75rem;margin:0 0 1rem}
.hint{color:var(--muted);font-size:.9rem}
.code{font:700 1.75rem/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.15em;text-align:center;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0}dt{color:var(--muted)}dd{margin:0;word-break:break-word}
ul.choices{list-style:none;padding:0;margin:0}ul.choices li+li{margin-top:.5rem}
ul.choices a{display:block;padding:.7rem;border:1px solid var(--border);border-radius:.4rem;color:inherit;text-decoration:none;font-weight:600;text-align:center}
`.trim();

/** CONTENT_SECURITY_POLICY allows nothing but the pages' own inline style: no scripts, no external assets, no framing. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(CSS).digest("base64")}'; base-uri 'none'; frame-ancestors 'none'`;

/** layout wraps page content into the common accessible, responsive HTML document. */
export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · metal-stack</title>
<style>${CSS}</style>
</head>
<body>
<main>
<p class="brand">metal-stack</p>
${body}
</main>
</body>
</html>
`;
}

/** errorBlock renders an error message that screen readers announce. */
export function errorBlock(message: string | undefined): string {
  return message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : "";
}
