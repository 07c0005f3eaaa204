import { create } from "@bufbuild/protobuf";
import { type Paging, PagingSchema } from "../../gen/metalstack/api/v2/common_pb.js";

/**
 * allPages calls a paged list RPC until its next_page_token is empty and returns the items of every
 * page in order. `fetchPage` sends the request with the given paging (a message, so it may be spread
 * into a request message); `itemsOf` picks the items. A server that hands out a token twice would
 * loop forever, so that is an error.
 */
export async function allPages<R extends { nextPageToken: string }, T>(
  fetchPage: (paging: Paging) => Promise<R>,
  itemsOf: (res: R) => T[],
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let pageToken = "";
  do {
    const res = await fetchPage(create(PagingSchema, { pageToken }));
    items.push(...itemsOf(res));
    pageToken = res.nextPageToken;
    if (seen.has(pageToken))
      throw new Error("the server repeated a page token; the list cannot be completed");
    seen.add(pageToken);
  } while (pageToken);
  return items;
}
