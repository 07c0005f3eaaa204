import type { Readable } from "node:stream";
import type { HttpRequest, HttpResponse } from "./routes.js";

type Handler = (req: HttpRequest, res: HttpResponse) => void;

function refuse(req: HttpRequest, res: HttpResponse, size: string, maxBytes: number): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
  // HTTP/1.1: end the connection rather than read the rest (HTTP/2 ends just the stream).
  if (req.httpVersionMajor === 1) headers.connection = "close";
  res.writeHead(413, headers);
  res.end(
    JSON.stringify({
      error: "invalid_request",
      error_description: `request body of ${size} bytes is larger than the server's limit of ${maxBytes} bytes`,
    }),
  );
}

/**
 * refuseLargeBodies answers 413 to a request whose body exceeds `maxBytes` before `handler` reads any
 * of it when Content-Length says so, and otherwise as soon as the count passes it: from then on the
 * handler gets no more of the body (it never ends), and what still arrives is dropped, never kept.
 */
export function refuseLargeBodies(handler: Handler, maxBytes: number): Handler {
  return (req, res) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) return refuse(req, res, String(declared), maxBytes);
    // The HTTP parsers hand the body to the request stream through push(); count it there.
    const stream = req as Readable;
    const push = stream.push;
    let seen = 0;
    let over = false;
    stream.push = function (this: Readable, chunk: unknown, encoding?: BufferEncoding) {
      if (over) return true;
      if (chunk !== null && typeof chunk === "object" && "length" in chunk) seen += Number(chunk.length);
      if (seen > maxBytes) {
        over = true;
        refuse(req, res, `more than ${maxBytes}`, maxBytes);
        return true;
      }
      return push.call(this, chunk, encoding);
    };
    handler(req, res);
  };
}
