import type { Interceptor, Transport } from "@connectrpc/connect";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";

export { createClient };

/** TransportOptions configure the CLI's Connect transport. */
export interface TransportOptions {
  baseUrl: string;
  /** Returns the bearer token, or undefined for anonymous calls. */
  token?: () => Promise<string | undefined>;
  userAgent: string;
  /** Sent as x-request-id with every call of the invocation, so the audit trail groups one command's calls. */
  requestId?: string;
  timeoutMs: number;
  /** "2" (h2c or h2) for bidirectional streams, which need HTTP/2; default "1.1". */
  httpVersion?: "1.1" | "2";
  /** Receives one line per request and response when --debug is set; never headers or bodies. */
  debug?: (line: string) => void;
  /** Shows progress (a spinner on a terminal) while a unary call is in flight; returns its stop. */
  progress?: (label: string) => () => void;
}

/** createTransport builds a Connect transport (HTTP/1.1 unless asked for 2) with auth, user-agent and debug interceptors. */
export function createTransport(opts: TransportOptions): Transport {
  return createConnectTransport({
    baseUrl: opts.baseUrl,
    httpVersion: opts.httpVersion ?? "1.1",
    defaultTimeoutMs: opts.timeoutMs,
    interceptors: [
      userAgentInterceptor(opts.userAgent, opts.requestId),
      authInterceptor(opts.token),
      debugInterceptor(opts.debug),
      progressInterceptor(opts.progress),
    ],
  });
}

function userAgentInterceptor(userAgent: string, requestId: string | undefined): Interceptor {
  return (next) => (req) => {
    req.header.set("user-agent", userAgent);
    if (requestId) req.header.set("x-request-id", requestId);
    return next(req);
  };
}

function authInterceptor(token: TransportOptions["token"]): Interceptor {
  return (next) => async (req) => {
    const t = token ? await token() : undefined;
    if (t) req.header.set("authorization", `Bearer ${t}`);
    return next(req);
  };
}

function debugInterceptor(debug: TransportOptions["debug"]): Interceptor {
  return (next) => async (req) => {
    if (!debug) return next(req);
    const started = performance.now();
    debug(`→ ${req.requestMethod} ${req.url}`);
    try {
      const res = await next(req);
      debug(`← ok ${req.method.name} (${Math.round(performance.now() - started)} ms)`);
      return res;
    } catch (err) {
      const code = err instanceof ConnectError ? Code[err.code] : "error";
      debug(`← ${code} ${req.method.name} (${Math.round(performance.now() - started)} ms)`);
      throw err;
    }
  };
}

function progressInterceptor(progress: TransportOptions["progress"]): Interceptor {
  return (next) => async (req) => {
    if (!progress || req.stream) return next(req);
    const stop = progress(`${req.service.name}.${req.method.name}`);
    try {
      return await next(req);
    } finally {
      stop();
    }
  };
}
