import { create } from "@bufbuild/protobuf";
import {
  LocalRoleSchema,
  type LocalUser,
  LocalUserSchema,
  type UserServiceCreateRequest,
  UserServiceCreateRequestSchema,
  type UserServiceUpdateRequest,
  UserServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/user_pb.js";
import { age } from "../output/time.js";
import { date, enumKey, parseEnum, protoView, splitList } from "./common.js";

/** localUserView shows the embedded identity provider's local users; passwords are never shown. */
export const localUserView = protoView(LocalUserSchema, [
  { header: "ID", value: (u: LocalUser) => u.id },
  { header: "Name", value: (u: LocalUser) => u.name },
  { header: "Email", value: (u: LocalUser) => u.email },
  { header: "Roles", value: (u: LocalUser) => u.roles.map((r) => enumKey(LocalRoleSchema, r)).join(",") },
  { header: "Locked", value: (u: LocalUser) => (u.locked ? "yes" : "") },
  {
    header: "Must Change Password",
    value: (u: LocalUser) => (u.mustChangePassword ? "yes" : ""),
    wide: true,
  },
  { header: "Failed Logins", value: (u: LocalUser) => String(u.failedLogins), wide: true },
  {
    header: "Age",
    value: (u: LocalUser, now: Date) => age(date(u.meta?.createdAt), now),
    sortKey: (u: LocalUser) => date(u.meta?.createdAt)?.getTime() ?? 0,
    wide: true,
  },
]);

/** LocalUserInput are the fields of `admin user create|update` (the password comes separately). */
export interface LocalUserInput {
  name?: string | undefined;
  email?: string | undefined;
  roles?: string[] | undefined;
}

function roles(list: string[] | undefined) {
  return splitList(list).map((r) => parseEnum(LocalRoleSchema, r, "--roles"));
}

/** localUserCreateRequest builds the create request with the password read from a prompt or stdin (pure). */
export function localUserCreateRequest(
  id: string,
  input: LocalUserInput,
  password: string,
): UserServiceCreateRequest {
  return create(UserServiceCreateRequestSchema, {
    id,
    name: input.name ?? "",
    email: input.email ?? "",
    roles: roles(input.roles),
    password,
  });
}

/** localUserUpdateRequest builds the update request; unset fields stay unchanged (pure). */
export function localUserUpdateRequest(id: string, input: LocalUserInput): UserServiceUpdateRequest {
  return create(UserServiceUpdateRequestSchema, {
    id,
    updateMeta: { generation: 0n },
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.roles !== undefined ? { roles: { roles: roles(input.roles) } } : {}),
  });
}
