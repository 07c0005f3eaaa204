import type http from "node:http";
import type http2 from "node:http2";
import type net from "node:net";
import type { HttpRequest, HttpResponse } from "./routes.js";

/**
 * How long a keep-alive connection with no request running stays open once a drain starts: a client
 * that sends requests in a loop sends its next one within this time and gets a clean refusal, instead
 * of a connection that closes under a request it is writing.
 */
const IDLE_LINGER_MS = 500;
const POLL_MS = 20;
/** A refused request's body is read first (closing on unread bytes would reset the connection), for at most this long. */
const BODY_WAIT_MS = 1000;

type Handler = (req: HttpRequest, res: HttpResponse) => void;

interface Connection {
  /** Requests running on this HTTP/1 connection. */
  running: number;
  /** When the last request on it ended (or when it was accepted). */
  idleSince: number;
  http2: boolean;
  ending: boolean;
}

/**
 * Drain shuts one listener down without dropping a request: on `drain` it stops accepting connections,
 * sends HTTP/2 clients GOAWAY, marks running HTTP/1 responses `Connection: close`, answers every new
 * request 503 unavailable with `Connection: close` (a client may retry it elsewhere: it did not run),
 * lets running requests finish, closes idle keep-alive connections after a short linger, and at the
 * deadline destroys whatever is left.
 */
export interface Drain {
  /** requests wraps the HTTP handler of both protocols. */
  requests(handler: Handler): Handler;
  /** connection tracks an accepted socket until it closes. */
  connection(socket: net.Socket): void;
  /** http2 marks a tracked socket as carrying HTTP/2: its session, not the linger, ends it. */
  http2(socket: net.Socket): void;
  /** session tracks an HTTP/2 session, to send it GOAWAY on drain. */
  session(session: http2.ServerHttp2Session): void;
  /** draining tells whether a drain has started. */
  readonly draining: boolean;
  /** drain runs the shutdown described above and resolves once every connection is closed. */
  drain(server: net.Server, deadline: number): Promise<void>;
}

/** createDrain returns the connection and request bookkeeping of one listener. */
export function createDrain(): Drain {
  const connections = new Map<net.Socket, Connection>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const responses = new Set<http.ServerResponse>();
  let draining = false;

  const refuse = (req: HttpRequest, res: HttpResponse) => {
    const http1 = req.httpVersionMajor < 2;
    let sent = false;
    const send = () => {
      if (sent) return;
      sent = true;
      clearTimeout(timer);
      (res as http.ServerResponse).writeHead(503, {
        "content-type": "application/json",
        "retry-after": "1",
        ...(http1 ? { connection: "close" } : {}),
      });
      res.end(JSON.stringify({ code: "unavailable", message: "the server is shutting down; retry" }));
    };
    const timer = setTimeout(send, BODY_WAIT_MS);
    req.once("end", send);
    req.once("error", send);
    req.resume();
  };

  return {
    requests: (handler) => (req, res) => {
      if (draining) return refuse(req, res);
      const connection = req.httpVersionMajor < 2 ? connections.get(req.socket as net.Socket) : undefined;
      if (connection) {
        const response = res as http.ServerResponse;
        connection.running++;
        responses.add(response);
        res.once("close", () => {
          connection.running--;
          connection.idleSince = Date.now();
          responses.delete(response);
        });
      }
      handler(req, res);
    },
    connection(socket) {
      connections.set(socket, { running: 0, idleSince: Date.now(), http2: false, ending: false });
      socket.once("close", () => connections.delete(socket));
    },
    http2(socket) {
      const connection = connections.get(socket);
      if (connection) connection.http2 = true;
    },
    session(session) {
      sessions.add(session);
      session.once("close", () => sessions.delete(session));
      if (draining) session.close();
    },
    get draining() {
      return draining;
    },
    async drain(server, deadline) {
      draining = true;
      const started = Date.now();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      for (const res of responses) if (!res.headersSent) res.setHeader("connection", "close");
      while (connections.size > 0 && Date.now() < deadline) {
        for (const [socket, c] of connections) {
          if (c.http2 || c.ending || c.running > 0) continue;
          if (Date.now() - Math.max(c.idleSince, started) < IDLE_LINGER_MS) continue;
          c.ending = true;
          socket.end();
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      for (const socket of connections.keys()) socket.destroy();
      for (const session of sessions) session.destroy();
      await closed;
    },
  };
}
