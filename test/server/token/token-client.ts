import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { TokenService } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { bearer } from "../authz/fixtures.js";

/** tokenClient is a TokenService client of the server at `baseUrl` that presents `token`. */
export function tokenClient(baseUrl: string, token: string): Client<typeof TokenService> {
  return createClient(
    TokenService,
    createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [bearer(token)] }),
  );
}

/** codeOf resolves to "ok" when the call succeeds, else to the Connect code it failed with. */
export function codeOf(call: Promise<unknown>): Promise<"ok" | ConnectError["code"]> {
  return call.then(
    () => "ok" as const,
    (e) => ConnectError.from(e).code,
  );
}
