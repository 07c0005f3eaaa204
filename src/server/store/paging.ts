import { Code, ConnectError } from "@connectrpc/connect";
import type { Paging } from "../../gen/metalstack/api/v2/common_pb.js";

/** DEFAULT_PAGE_SIZE is the page size of a list when the request names none. */
export const DEFAULT_PAGE_SIZE = 500;
/** MAX_PAGE_SIZE is the largest page a list request may ask for. */
export const MAX_PAGE_SIZE = 1000;

/** pageSize returns the page size a request asks for: the default for 0, InvalidArgument above MAX_PAGE_SIZE. */
export function pageSize(paging: Paging | undefined): number {
  const n = paging?.pageSize ?? 0;
  if (n === 0) return DEFAULT_PAGE_SIZE;
  if (n > MAX_PAGE_SIZE) {
    throw new ConnectError(`paging.page_size: at most ${MAX_PAGE_SIZE}, got ${n}`, Code.InvalidArgument);
  }
  return n;
}

/** encodePageToken turns the sort key of a page's last row into the opaque token of the next page. */
export function encodePageToken(lastKey: string): string {
  return Buffer.from(lastKey, "utf8").toString("base64url");
}

/**
 * decodePageToken returns the sort key inside a token from encodePageToken; a token whose key `valid`
 * refuses is InvalidArgument naming the list (`what`, e.g. "machine") it should have come from.
 */
export function decodePageToken(token: string, what: string, valid: (key: string) => boolean): string {
  const key = Buffer.from(token, "base64url").toString("utf8");
  if (!valid(key)) {
    throw new ConnectError(
      `paging.page_token: not a token from a previous ${what} list`,
      Code.InvalidArgument,
    );
  }
  return key;
}

/** tupleKey is the sort key of a row ordered by several columns, for encodePageToken. */
export function tupleKey(parts: readonly string[]): string {
  return JSON.stringify(parts);
}

/**
 * decodeTuplePageToken is decodePageToken for tupleKey keys: it returns the `arity` parts of the key,
 * and refuses tokens of another shape or whose parts `valid` refuses.
 */
export function decodeTuplePageToken(
  token: string,
  what: string,
  arity: number,
  valid: (parts: string[]) => boolean = () => true,
): string[] {
  let parts: string[] = [];
  decodePageToken(token, what, (key) => {
    let value: unknown;
    try {
      value = JSON.parse(key);
    } catch {
      return false;
    }
    if (!Array.isArray(value) || value.length !== arity || !value.every((p) => typeof p === "string")) {
      return false;
    }
    parts = value;
    return valid(parts);
  });
  return parts;
}

/**
 * pageOf cuts rows fetched with a limit of `size + 1` into the page of `size` rows and the token of
 * the next page, made from `keyOf` the page's last row; the token is "" when no row was left over.
 */
export function pageOf<R>(
  rows: R[],
  size: number,
  keyOf: (row: R) => string,
): { rows: R[]; nextPageToken: string } {
  if (rows.length <= size) return { rows, nextPageToken: "" };
  const page = rows.slice(0, size);
  return { rows: page, nextPageToken: encodePageToken(keyOf(page[page.length - 1] as R)) };
}
