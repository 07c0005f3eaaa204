import { createContextKey } from "@connectrpc/connect";

/** TokenKind separates tokens from a login (user) from tokens minted for automation (api). */
export type TokenKind = "user" | "api";

/** Principal is the authenticated caller of a request, put into the handler context by authentication. */
export interface Principal {
  /** Key of the user the token belongs to. */
  userId: string;
  /** The token's id (JWT `jti`); grants are looked up by it. */
  tokenId: string;
  kind: TokenKind;
}

/** principalKey holds the caller in `HandlerContext.values`; undefined for anonymous calls. */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "principal" });
