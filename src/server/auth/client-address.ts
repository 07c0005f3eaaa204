import { type ContextValues, createContextKey, createContextValues } from "@connectrpc/connect";
import type { HttpRequest } from "../http/routes.js";

/** clientAddressKey holds the peer address of the connection a request came on ("" when unknown). */
export const clientAddressKey = createContextKey<string>("", { description: "client address" });

/**
 * requestContextValues seeds every RPC's context values from the Node request: the peer address of
 * the TCP connection (for HTTP/2 the session's socket). Forwarded headers are not trusted.
 */
export function requestContextValues(req: HttpRequest): ContextValues {
  const values = createContextValues();
  // For h2c the session runs on a JS stream wrapper (app.ts replays the preface); Node exposes the
  // wrapped stream as `.stream`, and app.ts gives it the TCP peer's address.
  const socket = req.socket as { remoteAddress?: string; stream?: { remoteAddress?: string } } | undefined;
  values.set(clientAddressKey, socket?.remoteAddress ?? socket?.stream?.remoteAddress ?? "");
  return values;
}
