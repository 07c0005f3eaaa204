import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type Token, TokenSchema, TokenType } from "../../gen/metalstack/api/v2/token_pb.js";
import type { TokenRecord } from "./token-store.js";

/** tokenToProto renders a token record for the API; it never contains the secret. */
export function tokenToProto(r: TokenRecord): Token {
  return create(TokenSchema, {
    uuid: r.id,
    user: r.userId,
    description: r.description,
    permissions: r.permissions.map((p) => ({ subject: p.subject, methods: [...p.methods] })),
    projectRoles: { ...r.projectRoles },
    tenantRoles: { ...r.tenantRoles },
    adminRole: r.adminRole ? r.adminRole : undefined,
    expires: timestampFromDate(r.expiresAt),
    issuedAt: timestampFromDate(r.issuedAt),
    tokenType: r.kind === "api" ? TokenType.API : TokenType.USER,
    meta: {
      generation: BigInt(r.generation),
      createdAt: timestampFromDate(r.issuedAt),
      updatedAt: timestampFromDate(r.issuedAt),
    },
  });
}
