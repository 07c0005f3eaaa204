import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { Duplex } from "node:stream";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { requestContextValues, trustedProxiesOf } from "./auth/client-address.js";
import type { AppContext } from "./context.js";
import { refuseLargeBodies } from "./http/body-limit.js";
import { refuseUndecodableBodies } from "./http/decode-faults.js";
import { createDrain } from "./http/drain.js";
import { healthRoutes } from "./http/health.js";
import { metricsInterceptor, metricsRoutes } from "./http/metrics.js";
import { createHttpDispatcher, type HttpRoute } from "./http/routes.js";
import { createInterceptors } from "./interceptors/index.js";
import { createOAuthRoutes } from "./oauth/routes.js";
import { createRedisRateLimitStore } from "./redis/rate-limit-store.js";
import { registerServices } from "./services/index.js";
import { unavailableInterceptor } from "./store/unavailable.js";
import { jwksRoutes } from "./token/jwks-route.js";

/**
 * ApiServer is a listening API server; `close` drains it (http/drain.ts): it refuses new requests,
 * finishes running ones until `deadline` (epoch ms, default 10 s from now), then releases the port.
 */
export interface ApiServer {
  /** Base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  port: number;
  close(deadline?: number): Promise<void>;
}

const DEFAULT_DRAIN_MS = 10_000;

/** createHttpRoutes lists the non-RPC HTTP routes (OAuth, identity provider, JWKS, reflection helpers). */
function createHttpRoutes(ctx: AppContext): HttpRoute[] {
  return [...jwksRoutes(ctx), ...healthRoutes(ctx), ...metricsRoutes(ctx.metrics), ...createOAuthRoutes(ctx)];
}

/**
 * startApiServer serves Connect, gRPC and gRPC-Web on one port, over HTTP/1.1 and cleartext HTTP/2
 * (h2c with prior knowledge): the first bytes of a connection decide which protocol handles it.
 */
export async function startApiServer(ctx: AppContext, listen: string): Promise<ApiServer> {
  const handler = connectNodeAdapter({
    routes: (router) => {
      registerServices(ctx)(router);
      refuseUndecodableBodies(router);
    },
    interceptors: [
      metricsInterceptor(ctx.metrics),
      unavailableInterceptor(ctx),
      ...createInterceptors(ctx, {
        rateLimitStore: ctx.redis
          ? createRedisRateLimitStore(ctx.redis, ctx.config.redisKeyPrefix)
          : undefined,
      }),
    ],
    // Larger messages are refused as resource_exhausted from their declared length (Content-Length,
    // or the length prefix of a gRPC message) or as soon as the count exceeds it, never buffered.
    readMaxBytes: ctx.config.maxRequestBytes,
    fallback: refuseLargeBodies(createHttpDispatcher(createHttpRoutes(ctx)), ctx.config.maxRequestBytes),
    shutdownSignal: ctx.shutdown,
    contextValues: requestContextValues(trustedProxiesOf(ctx.config)),
  });
  const drain = createDrain();
  const h1 = http.createServer(drain.requests(handler));
  const h2 = http2.createServer(drain.requests(handler));
  h2.on("session", (session) => drain.session(session));
  const server = net.createServer((socket) => {
    drain.connection(socket);
    // Small RPC frames must not wait for Nagle + delayed ACK (~40 ms per call over h2c).
    socket.setNoDelay(true);
    socket.once("data", (chunk) => {
      socket.pause();
      // An HTTP/2 connection with prior knowledge starts with the preface "PRI * HTTP/2.0".
      if (chunk.subarray(0, 3).toString("latin1") === "PRI") {
        drain.http2(socket);
        h2.emit("connection", replayed(socket, chunk));
      } else {
        socket.unshift(chunk);
        h1.emit("connection", socket);
        socket.resume();
      }
    });
  });
  const { host, port } = parseListen(listen);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: (deadline = Date.now() + DEFAULT_DRAIN_MS) => drain.drain(server, deadline),
  };
}

/**
 * replayed wraps a socket whose first chunk was already read into a stream that yields that chunk
 * first. The HTTP/1 parser honours `unshift`, but the HTTP/2 server reads the socket's native
 * handle directly, so it needs a JS stream instead.
 */
function replayed(socket: net.Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk, encoding, cb) => {
      socket.write(chunk, encoding, cb);
    },
    final: (cb) => {
      socket.end(cb);
    },
    destroy: (err, cb) => {
      socket.destroy(err ?? undefined);
      cb(err);
    },
  });
  // Rate limiting and audit read the peer address through the HTTP/2 session socket, i.e. this stream.
  Object.defineProperty(duplex, "remoteAddress", { value: socket.remoteAddress });
  duplex.push(head);
  socket.on("data", (data) => {
    if (!duplex.push(data)) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("error", (err) => duplex.destroy(err));
  socket.on("close", () => duplex.destroy());
  return duplex;
}

function parseListen(listen: string): { host: string; port: number } {
  const idx = listen.lastIndexOf(":");
  if (idx < 0) throw new Error(`listen address "${listen}" must be HOST:PORT, e.g. 127.0.0.1:8080`);
  const host = listen.slice(0, idx).replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  const port = Number(listen.slice(idx + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen address "${listen}" has no valid port (0-65535)`);
  }
  return { host, port };
}
