import { create, toJson } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  type ProjectInvite,
  ProjectInviteSchema,
  type ProjectMember,
  ProjectMemberSchema,
  type ProjectServiceInviteRequest,
  ProjectServiceInviteRequestSchema,
} from "../../gen/metalstack/api/v2/project_pb.js";
import type { JsonValue } from "../output/printer.js";
import { age, until } from "../output/time.js";
import { date, protoView } from "./common.js";
import { parseProjectRole, projectRoleName } from "./roles.js";

/** projectMemberView shows a project's members with their roles. */
export const projectMemberView = protoView(ProjectMemberSchema, [
  { header: "User", value: (m: ProjectMember) => m.user },
  { header: "Name", value: (m: ProjectMember) => m.name },
  { header: "Email", value: (m: ProjectMember) => m.email },
  { header: "Role", value: (m: ProjectMember) => projectRoleName(m.role) },
  {
    header: "Since",
    value: (m: ProjectMember, now: Date) => age(date(m.createdAt), now),
    sortKey: (m: ProjectMember) => date(m.createdAt)?.getTime() ?? 0,
  },
]);

/** projectInviteView shows a project's open invitations (never their secrets). */
export const projectInviteView = protoView(ProjectInviteSchema, [
  { header: "ID", value: (i: ProjectInvite) => i.id },
  { header: "Role", value: (i: ProjectInvite) => projectRoleName(i.role) },
  { header: "Created By", value: (i: ProjectInvite) => i.createdBy },
  {
    header: "Expires",
    value: (i: ProjectInvite, now: Date) => until(date(i.expiresAt), now),
    sortKey: (i: ProjectInvite) => date(i.expiresAt)?.getTime() ?? 0,
  },
]);

/** projectInviteRequest builds an invitation with a role that expires after `ttlMs` (pure). */
export function projectInviteRequest(
  project: string,
  role: string,
  ttlMs: number,
  now: Date,
): ProjectServiceInviteRequest {
  return create(ProjectServiceInviteRequestSchema, {
    project,
    role: parseProjectRole(role, "--role"),
    expiresAt: timestampFromDate(new Date(now.getTime() + ttlMs)),
  });
}

/** projectInviteJson is the proto JSON of a project invitation. */
export function projectInviteJson(i: ProjectInvite): JsonValue {
  return toJson(ProjectInviteSchema, i) as JsonValue;
}
