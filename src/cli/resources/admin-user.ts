import { create } from "@bufbuild/protobuf";
import {
  LocalRoleSchema,
  type LocalUser,
  LocalUserSchema,
  UserService,
  type UserServiceCreateRequest,
  UserServiceCreateRequestSchema,
  type UserServiceUpdateRequest,
  UserServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/user_pb.js";
import { age } from "../output/time.js";
import { date, enumKey, parseEnum, protoView, splitList } from "./common.js";
import {
  type Creates,
  completionOf,
  type Deletes,
  type Gets,
  type Lists,
  type Ref,
  type Updates,
} from "./resource.js";

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

/** localUser is the embedded identity provider's local users, as operators manage them by ID. */
export const localUser: Lists<LocalUser> &
  Gets<LocalUser> &
  Creates<LocalUser, UserServiceCreateRequest> &
  Updates<LocalUser, UserServiceUpdateRequest> &
  Deletes<LocalUser> & { ref: Ref<LocalUser> } = {
  scope: "server",
  noun: "local user",
  view: localUserView,
  ref: {
    kind: "admin-user",
    scope: "server",
    arg: "id",
    description: "User ID.",
    candidate: (u) => ({ value: u.id, description: u.name }),
  },
  list: async (deps) => (await deps.client(UserService).list({})).users,
  get: async (deps, _project, id) => (await deps.client(UserService).get({ id })).user!,
  create: async (deps, req) => (await deps.client(UserService).create(req)).user!,
  update: async (deps, req) => (await deps.client(UserService).update(req)).user!,
  delete: async (deps, _project, id) => (await deps.client(UserService).delete({ id })).user!,
};

/** completion offers the local user IDs. */
export const completion = completionOf(localUser);
