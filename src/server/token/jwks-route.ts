import type { AppContext } from "../context.js";
import type { HttpRoute } from "../http/routes.js";

/** jwksRoutes serves the public signing keys at GET /.well-known/jwks.json, retired-but-valid keys included. */
export function jwksRoutes(ctx: AppContext): HttpRoute[] {
  return [
    {
      prefix: "/.well-known/jwks.json",
      async handle(req, res) {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
          res.end("method not allowed; use GET\n");
          return;
        }
        const body = JSON.stringify(await ctx.tokens.keys.jwks());
        res.writeHead(200, {
          "content-type": "application/jwk-set+json",
          "cache-control": "public, max-age=300",
        });
        if (req.method === "HEAD") res.end();
        else res.end(body);
      },
    },
  ];
}
