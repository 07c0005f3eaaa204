import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  LocalRole,
  type LocalUser as LocalUserMsg,
  LocalUserSchema,
} from "../../../../gen/metalstack/admin/v2/user_pb.js";
import { MetaSchema } from "../../../../gen/metalstack/api/v2/common_pb.js";
import {
  type LocalRole as LocalRoleName,
  type LocalUser,
  LocalUserError,
} from "../../../../idp/local-users.js";

const ROLE_NAMES: Record<LocalRole, LocalRoleName | undefined> = {
  [LocalRole.UNSPECIFIED]: undefined,
  [LocalRole.CLUSTER_ADMIN]: "cluster-admin",
  [LocalRole.READ_ONLY]: "read-only",
  [LocalRole.SOLUTION_ADMIN]: "solution-admin",
};

/** roleNames converts proto roles to the provider's role names, refusing unspecified or unknown values. */
export function roleNames(roles: LocalRole[]): LocalRoleName[] {
  return roles.map((r) => {
    const name = ROLE_NAMES[r];
    if (!name) {
      throw new ConnectError(
        `roles: ${r} is not a role; use LOCAL_ROLE_CLUSTER_ADMIN, LOCAL_ROLE_READ_ONLY or LOCAL_ROLE_SOLUTION_ADMIN`,
        Code.InvalidArgument,
      );
    }
    return name;
  });
}

/** toLocalUserMessage converts a local user to its API form; there is no password field to fill. */
export function toLocalUserMessage(u: LocalUser): LocalUserMsg {
  const byName = Object.entries(ROLE_NAMES) as [string, LocalRoleName | undefined][];
  return create(LocalUserSchema, {
    id: u.id,
    name: u.displayName,
    email: u.email,
    roles: u.roles.map((r) => Number(byName.find(([, n]) => n === r)![0]) as LocalRole),
    locked: u.locked,
    mustChangePassword: u.mustChangePassword,
    failedLogins: u.failedLogins,
    ...(u.blockedUntil ? { blockedUntil: timestampFromDate(u.blockedUntil) } : {}),
    meta: create(MetaSchema, {
      generation: BigInt(u.generation),
      createdAt: timestampFromDate(u.createdAt),
      updatedAt: timestampFromDate(u.updatedAt),
    }),
  });
}

/** toConnectError maps the provider's refusals to Connect codes; anything else is rethrown. */
export function toConnectError(err: unknown): never {
  if (err instanceof LocalUserError) {
    const code = {
      invalid: Code.InvalidArgument,
      exists: Code.AlreadyExists,
      "not-found": Code.NotFound,
      conflict: Code.FailedPrecondition,
    }[err.kind];
    throw new ConnectError(err.message, code);
  }
  throw err;
}
