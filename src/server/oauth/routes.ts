import { FormTooLarge, MalformedForm, type Req, type Res, sendHtml } from "../../shared/http.js";
import { messagePage } from "../../shared/pages/message.js";
import { API_MARKER } from "../../shared/server-identity.js";
import type { AppContext } from "../context.js";
import type { HttpRoute } from "../http/routes.js";
import { handleAuthorize, handleCallback } from "./authorize.js";
import { handleDeviceApprove, handleDeviceCode, handleDevicePage } from "./device.js";
import { sendJson } from "./http.js";
import { EMBEDDED_IDP_PATH } from "./runtime.js";
import { DEVICE_GRANT, handleRevoke, handleToken } from "./token.js";

/** authorizationServerMetadata is the RFC 8414 document that lets standard OAuth clients find the endpoints. */
function authorizationServerMetadata(base: string) {
  return {
    issuer: base,
    authorization_endpoint: `${base}/auth/authorize`,
    token_endpoint: `${base}/auth/token`,
    device_authorization_endpoint: `${base}/auth/device/code`,
    revocation_endpoint: `${base}/auth/revoke`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", DEVICE_GRANT],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    [API_MARKER.field]: API_MARKER.value,
  };
}

type Handler = (ctx: AppContext, req: Req, res: Res, base: string) => Promise<void>;

const authRoutes: Record<string, Handler> = {
  "GET /auth/authorize": (ctx, req, res) => handleAuthorize(ctx, req, res),
  "GET /auth/callback": (ctx, req, res) => handleCallback(ctx, req, res),
  "POST /auth/token": (ctx, req, res) => handleToken(ctx, req, res),
  "POST /auth/revoke": (ctx, req, res) => handleRevoke(ctx, req, res),
  "POST /auth/device/code": handleDeviceCode,
  "GET /auth/device": (ctx, req, res) => handleDevicePage(ctx, req, res),
  "POST /auth/device/approve": (ctx, req, res) => handleDeviceApprove(ctx, req, res),
};

const JSON_ENDPOINTS = new Set(["/auth/token", "/auth/revoke", "/auth/device/code"]);

/**
 * createOAuthRoutes returns the login routes: the OAuth endpoints for the CLI under /auth/, their
 * metadata, and the embedded identity provider under /idp/ (when no external one is configured).
 */
export function createOAuthRoutes(ctx: AppContext): HttpRoute[] {
  const base = () => ctx.config.publicUrl.replace(/\/+$/, "");
  const routes: HttpRoute[] = [
    {
      prefix: "/.well-known/oauth-authorization-server",
      handle: (req, res) => {
        if (new URL(req.url ?? "/", "http://x").pathname !== "/.well-known/oauth-authorization-server") {
          return sendJson(res, 404, { error: "not_found" });
        }
        sendJson(res, 200, authorizationServerMetadata(base()), { "cache-control": "public, max-age=300" });
      },
    },
    {
      prefix: "/auth/",
      handle: async (req, res) => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        const handler = authRoutes[`${req.method} ${path}`];
        if (!handler) {
          const known = Object.keys(authRoutes).some((k) => k.endsWith(` ${path}`));
          if (JSON_ENDPOINTS.has(path) || known) {
            return sendJson(res, known ? 405 : 404, {
              error: "invalid_request",
              error_description: `${req.method} ${path} is not supported`,
            });
          }
          return sendHtml(res, 404, messagePage("Not found", "There is no such page.", { alert: true }));
        }
        try {
          await handler(ctx, req, res, base());
        } catch (err) {
          // A body too large or not a JSON object is the client's fault, not the server's.
          if (!res.headersSent && (err instanceof FormTooLarge || err instanceof MalformedForm)) {
            const status = err instanceof FormTooLarge ? 413 : 400;
            return sendJson(res, status, { error: "invalid_request", error_description: err.message });
          }
          ctx.log.error("login endpoint failed", { path, error: (err as Error).message });
          if (res.headersSent) return void res.end();
          if (JSON_ENDPOINTS.has(path))
            return sendJson(res, 500, { error: "server_error", error_description: "internal error" });
          sendHtml(
            res,
            500,
            messagePage("Something went wrong", "The login could not be completed. Try again.", {
              alert: true,
            }),
          );
        }
      },
    },
  ];
  if (!ctx.config.identity.issuerUrl) {
    routes.push({
      prefix: `${EMBEDDED_IDP_PATH}/`,
      handle: async (req, res) => {
        const runtime = await ctx.identityRuntime();
        await runtime.idp!.handle(req, res);
      },
    });
  }
  return routes;
}
