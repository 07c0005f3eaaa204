import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { CONTENT_SECURITY_POLICY } from "./pages/layout.js";

/** Req is a plain HTTP request of either protocol version. */
export type Req = IncomingMessage | Http2ServerRequest;
/** Res is the part of a plain HTTP response (either protocol version) the pages and endpoints use. */
export interface Res {
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  end(): unknown;
  end(body: string): unknown;
  readonly headersSent: boolean;
}

const MAX_FORM_BYTES = 16 * 1024;

/** FormTooLarge is thrown when a request body exceeds the form size limit. */
export class FormTooLarge extends Error {}

/** MalformedForm is thrown when a JSON request body is not a JSON object (syntax error, null, a list). */
export class MalformedForm extends Error {}

/**
 * readForm reads an application/x-www-form-urlencoded (or JSON object) body of at most 16 KiB;
 * FormTooLarge and MalformedForm are the client's fault (413 and 400).
 */
export async function readForm(req: Req): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLarge(`request body larger than ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks).toString("utf8");
  const type = String(req.headers["content-type"] ?? "");
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body || "{}");
    } catch {
      throw new MalformedForm("request body is not valid JSON; send a JSON object or a form");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new MalformedForm("request body must be a JSON object of parameters");
    }
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(parsed)) if (typeof v === "string") params.set(k, v);
    return params;
  }
  return new URLSearchParams(body);
}

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

/** sendHtml answers with one of the styled pages and strict security headers. */
export function sendHtml(
  res: Res,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
) {
  res.writeHead(status, { ...PAGE_HEADERS, ...headers });
  res.end(html);
}
