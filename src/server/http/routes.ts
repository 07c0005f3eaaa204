import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";

type NodeHandler = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
/** HttpRequest is a plain HTTP request on either protocol version. */
export type HttpRequest = Parameters<NodeHandler>[0];
/** HttpResponse is a plain HTTP response on either protocol version. */
export type HttpResponse = Parameters<NodeHandler>[1];

/** HttpRoute serves non-RPC paths (OAuth, identity provider pages, JWKS, metrics) under a path prefix. */
export interface HttpRoute {
  /** Path prefix, e.g. "/auth/" or "/.well-known/jwks.json". */
  prefix: string;
  handle(req: HttpRequest, res: HttpResponse): void | Promise<void>;
}

/** createHttpDispatcher returns a handler that runs the first route whose prefix matches, else 404. */
export function createHttpDispatcher(routes: HttpRoute[]) {
  return (req: HttpRequest, res: HttpResponse) => {
    const url = req.url ?? "/";
    const route = routes.find((r) => url.startsWith(r.prefix));
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("not found\n");
      return;
    }
    Promise.resolve(route.handle(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("internal error\n");
    });
  };
}
