import type { DescMessage } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";

/*
 * Connect answers a request body that protobuf-es cannot decode (truncated, wrong wire types, invalid
 * UTF-8 in a string) with `internal` and the message "parse binary: …", before any interceptor runs,
 * in each protocol's own framing. Such a body is the client's fault: this module rewrites exactly
 * those answers to `invalid_argument`, in the four framings Connect produces them in.
 */

const PARSE_FAULT = "parse binary: ";
const GRPC_INTERNAL = "13";
const GRPC_INVALID_ARGUMENT = "3";
const FLAG_COMPRESSED = 0b1;
const FLAG_CONNECT_END_STREAM = 0b10;
const FLAG_GRPC_WEB_TRAILER = 0b1000_0000;

/**
 * refuseUndecodableBodies wraps every handler registered on `router` so that a request body that
 * cannot be decoded answers `invalid_argument` naming the request type, instead of `internal`.
 */
export function refuseUndecodableBodies(router: ConnectRouter): void {
  const handlers = router.handlers as UniversalHandler[];
  handlers.forEach((handler, i) => {
    // Every answer passes here: no async frame of its own, and one of Connect's own only for a 500.
    const wrapped = (req: Parameters<UniversalHandler>[0]) =>
      handler(req).then((res) => rewrite(res, handler.method.input));
    handlers[i] = Object.assign(wrapped, handler);
  });
}

function explain(message: string, input: DescMessage): string {
  const detail = message.slice(PARSE_FAULT.length);
  return `request body is not a valid ${input.typeName} message (${detail}); send the method's request type`;
}

function rewrite(
  res: UniversalServerResponse,
  input: DescMessage,
): UniversalServerResponse | Promise<UniversalServerResponse> {
  const type = res.header?.get("content-type") ?? "";
  if (!res.body || res.header?.has("content-encoding")) return res;
  if (type.startsWith("application/grpc-web")) {
    return { ...res, body: mapChunks(res.body, (chunk) => rewriteGrpcWebTrailer(chunk, input)) };
  }
  if (type.startsWith("application/grpc")) {
    const trailer = res.trailer;
    if (!trailer) return res;
    const fix = () => {
      const message = decodeURIComponent(trailer.get("grpc-message") ?? "");
      if (trailer.get("grpc-status") === GRPC_INTERNAL && message.startsWith(PARSE_FAULT)) {
        trailer.set("grpc-status", GRPC_INVALID_ARGUMENT);
        trailer.set("grpc-message", encodeURIComponent(explain(message, input)));
      }
    };
    // The trailer is filled in while the body is read; the adapter sends it after the last chunk.
    return { ...res, body: mapChunks(res.body, (chunk) => chunk, fix) };
  }
  if (type.startsWith("application/connect+")) {
    return { ...res, body: mapChunks(res.body, (chunk) => rewriteConnectEndStream(chunk, input)) };
  }
  if (res.status === 500) return rewriteConnectUnary(res, input);
  return res;
}

async function* mapChunks(
  body: AsyncIterable<Uint8Array>,
  map: (chunk: Uint8Array) => Uint8Array,
  done?: () => void,
): AsyncIterable<Uint8Array> {
  for await (const chunk of body) yield map(chunk);
  done?.();
}

/** envelope returns the flags and payload of a chunk that is exactly one uncompressed envelope. */
function envelope(chunk: Uint8Array): { flags: number; data: Uint8Array } | undefined {
  if (chunk.byteLength < 5) return undefined;
  const flags = chunk[0] ?? 0;
  const length = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength).getUint32(1);
  if (flags & FLAG_COMPRESSED || length !== chunk.byteLength - 5) return undefined;
  return { flags, data: chunk.subarray(5) };
}

function enveloped(flags: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + data.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.byteLength);
  out.set(data, 5);
  return out;
}

function rewriteGrpcWebTrailer(chunk: Uint8Array, input: DescMessage): Uint8Array {
  const env = envelope(chunk);
  if (!env || !(env.flags & FLAG_GRPC_WEB_TRAILER)) return chunk;
  const lines = new TextDecoder().decode(env.data).split("\r\n");
  const status = lines.findIndex((l) => l.toLowerCase() === `grpc-status: ${GRPC_INTERNAL}`);
  const messageAt = lines.findIndex((l) => l.toLowerCase().startsWith("grpc-message: "));
  const message = messageAt < 0 ? "" : decodeURIComponent(lines[messageAt]!.slice("grpc-message: ".length));
  if (status < 0 || !message.startsWith(PARSE_FAULT)) return chunk;
  lines[status] = `grpc-status: ${GRPC_INVALID_ARGUMENT}`;
  lines[messageAt] = `grpc-message: ${encodeURIComponent(explain(message, input))}`;
  return enveloped(env.flags, new TextEncoder().encode(lines.join("\r\n")));
}

interface JsonError {
  code?: string;
  message?: string;
}

/** refined turns Connect's JSON error into invalid_argument when it is a decode fault; undefined otherwise. */
function refined(error: JsonError | undefined, input: DescMessage): JsonError | undefined {
  if (error?.code !== "internal" || !error.message?.startsWith(PARSE_FAULT)) return undefined;
  return { ...error, code: "invalid_argument", message: explain(error.message, input) };
}

function rewriteConnectEndStream(chunk: Uint8Array, input: DescMessage): Uint8Array {
  const env = envelope(chunk);
  if (!env || !(env.flags & FLAG_CONNECT_END_STREAM)) return chunk;
  const end = JSON.parse(new TextDecoder().decode(env.data)) as { error?: JsonError };
  const error = refined(end.error, input);
  if (!error) return chunk;
  return enveloped(env.flags, new TextEncoder().encode(JSON.stringify({ ...end, error })));
}

/** rewriteConnectUnary reads Connect's unary error body (one small JSON document) to decide the status. */
async function rewriteConnectUnary(
  res: UniversalServerResponse,
  input: DescMessage,
): Promise<UniversalServerResponse> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  let error: JsonError | undefined;
  try {
    error = refined(JSON.parse(bytes.toString("utf8")) as JsonError, input);
  } catch {
    error = undefined;
  }
  const body = error ? new TextEncoder().encode(JSON.stringify(error)) : bytes;
  const header = new Headers(res.header);
  header.set("content-length", String(body.byteLength));
  return { ...res, status: error ? 400 : res.status, header, body: oneChunk(body) };
}

async function* oneChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
