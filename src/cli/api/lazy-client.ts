import type { DescService } from "@bufbuild/protobuf";
import type { Client, Transport } from "@connectrpc/connect";
import type { TransportOptions } from "./transport.js";

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * lazyClient returns a typed Connect client whose first call imports Connect and builds the
 * transport, so commands load the network stack only when they really call the API. Unary calls
 * return promises; streaming calls return async iterables, as the real client does. A given
 * transport (e.g. an in-memory one) replaces the HTTP transport built from the options.
 */
export function lazyClient<S extends DescService>(
  service: S,
  options: () => TransportOptions,
  transport?: Transport,
): Client<S> {
  let real: Promise<Record<string, AnyMethod>> | undefined;
  const load = () => {
    real ??= (async () => {
      // One import of our module: a dynamic import of Connect itself would keep all of its exports,
      // the server's router among them, where the bundle keeps only what the client uses.
      const { createClient, createTransport } = await import("./transport.js");
      return createClient(service, transport ?? createTransport(options())) as unknown as Record<
        string,
        AnyMethod
      >;
    })();
    return real;
  };
  const client: Record<string, AnyMethod> = {};
  for (const m of service.methods) {
    client[m.localName] =
      m.methodKind === "unary"
        ? async (...args) => (await load())[m.localName]!(...args)
        : async function* (...args) {
            yield* (await load())[m.localName]!(...args) as AsyncIterable<unknown>;
          };
  }
  return client as unknown as Client<S>;
}
