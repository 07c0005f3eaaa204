import http2 from "node:http2";
import type { DescMethod } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { codeFromString } from "@connectrpc/connect/protocol-connect";

/** Framing is how a raw request body is sent: Connect JSON or binary, gRPC (HTTP/2) or gRPC-Web. */
export type Framing = "connect-json" | "connect-proto" | "grpc" | "grpc-web";

/** RawAnswer is what the server answered to a raw RPC request. */
export interface RawAnswer {
  /** HTTP status of the response. */
  status: number;
  /** The Connect code of the error, or "ok". */
  code: Code | "ok";
  /** The error message (empty on success). */
  message: string;
  /** Everything the server sent back as text (body, and for gRPC the trailers), for leak checks. */
  text: string;
}

/** envelope frames one message for gRPC, gRPC-Web and Connect streaming (flags byte, 4-byte length). */
export function envelope(data: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.byteLength);
  out.set(data, 5);
  return out;
}

function streaming(m: DescMethod): boolean {
  return m.methodKind !== "unary";
}

/** contentType is the content type a framing uses for method `m` (Connect streams are enveloped). */
function contentType(m: DescMethod, framing: Framing, json: boolean): string {
  switch (framing) {
    case "connect-json":
    case "connect-proto":
      return streaming(m)
        ? `application/connect+${json ? "json" : "proto"}`
        : `application/${json ? "json" : "proto"}`;
    case "grpc":
      return json ? "application/grpc+json" : "application/grpc";
    case "grpc-web":
      return json ? "application/grpc-web+json" : "application/grpc-web+proto";
  }
}

/**
 * rawRpc sends `body` (the message bytes, or `framed` bytes sent as they are) to method `m` on the
 * server at `baseUrl` in `framing`, and reads the answer's code from wherever that protocol puts it.
 */
export async function rawRpc(
  baseUrl: string,
  m: DescMethod,
  framing: Framing,
  body: Uint8Array,
  opts: { token?: string; framed?: boolean } = {},
): Promise<RawAnswer> {
  const json = framing === "connect-json";
  const path = `/${m.parent.typeName}/${m.name}`;
  const needsEnvelope = framing === "grpc" || framing === "grpc-web" || streaming(m);
  const payload = needsEnvelope && !opts.framed ? envelope(body) : body;
  const headers: Record<string, string> = { "content-type": contentType(m, framing, json) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (framing === "grpc") return grpcCall(baseUrl, path, headers, payload);
  if (m.methodKind === "bidi_streaming" || m.methodKind === "client_streaming") {
    // Client and bidi streams need HTTP/2 in Connect too.
    const answer = await h2Call(baseUrl, path, headers, payload);
    return readStreamAnswer(answer.status, answer.body, framing, answer.trailers);
  }
  const res = await fetch(baseUrl + path, { method: "POST", headers, body: payload });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return readStreamAnswer(res.status, bytes, framing, {}, !needsEnvelope);
}

function readStreamAnswer(
  status: number,
  bytes: Uint8Array,
  framing: Framing,
  trailers: Record<string, string>,
  unary = false,
): RawAnswer {
  const text = Buffer.from(bytes).toString("latin1");
  if (unary) {
    if (status === 200) return { status, code: "ok", message: "", text };
    const err = JSON.parse(Buffer.from(bytes).toString("utf8")) as { code?: string; message?: string };
    return { status, code: codeFromString(err.code ?? "") ?? Code.Unknown, message: err.message ?? "", text };
  }
  // Walk the envelopes to the last one: Connect's end-stream message or gRPC-Web's trailers.
  let offset = 0;
  let last: { flags: number; data: Buffer } | undefined;
  while (offset + 5 <= bytes.byteLength) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset + 1, 4).getUint32(0);
    last = {
      flags: bytes[offset] ?? 0,
      data: Buffer.from(bytes.subarray(offset + 5, offset + 5 + length)),
    };
    offset += 5 + length;
  }
  if (framing === "grpc-web") {
    const fields = Object.fromEntries(
      (last && last.flags & 0x80 ? last.data.toString("utf8") : "")
        .split("\r\n")
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
    );
    return grpcAnswer(status, { ...trailers, ...fields }, text);
  }
  if (status !== 200) {
    return { status, code: codeFromHttp(status), message: text, text };
  }
  const end =
    last && last.flags & 0b10
      ? (JSON.parse(last.data.toString("utf8")) as { error?: { code?: string; message?: string } })
      : {};
  if (!end.error) return { status, code: "ok", message: "", text };
  return {
    status,
    code: codeFromString(end.error.code ?? "") ?? Code.Unknown,
    message: end.error.message ?? "",
    text,
  };
}

function codeFromHttp(status: number): Code {
  return status === 415 || status === 400
    ? Code.InvalidArgument
    : status === 505
      ? Code.Unimplemented
      : Code.Unknown;
}

function grpcAnswer(status: number, fields: Record<string, string | undefined>, text: string): RawAnswer {
  const grpcStatus = Number(fields["grpc-status"] ?? Number.NaN);
  const message = decodeURIComponent(fields["grpc-message"] ?? "");
  const code: Code | "ok" =
    grpcStatus === 0 ? "ok" : Number.isInteger(grpcStatus) ? (grpcStatus as Code) : Code.Unknown;
  return { status, code, message, text: `${text}\n${JSON.stringify(fields)}` };
}

async function h2Call(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  payload: Uint8Array,
): Promise<{ status: number; body: Uint8Array; trailers: Record<string, string> }> {
  const session = http2.connect(baseUrl);
  try {
    return await new Promise((resolve, reject) => {
      const req = session.request({ ":method": "POST", ":path": path, te: "trailers", ...headers });
      let status = 0;
      let trailers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      req.on("response", (h) => {
        status = Number(h[":status"]);
        trailers = { ...trailers, ...stringHeaders(h) };
      });
      req.on("trailers", (t) => {
        trailers = { ...trailers, ...stringHeaders(t) };
      });
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve({ status, body: Buffer.concat(chunks), trailers }));
      req.on("error", reject);
      req.end(payload);
    });
  } finally {
    session.close();
  }
}

function stringHeaders(h: http2.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (typeof v === "string") out[k] = v;
  return out;
}

async function grpcCall(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  payload: Uint8Array,
): Promise<RawAnswer> {
  const answer = await h2Call(baseUrl, path, headers, payload);
  const text = Buffer.from(answer.body).toString("latin1");
  return grpcAnswer(answer.status, answer.trailers, text);
}
