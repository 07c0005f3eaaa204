import { Code, ConnectError } from "@connectrpc/connect";

/** notFound says a tenant or project does not exist (or is not visible to the caller). */
export function notFound(kind: "tenant" | "project", id: string): ConnectError {
  return new ConnectError(`${kind} "${id}" not found`, Code.NotFound);
}
