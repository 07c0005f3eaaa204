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
