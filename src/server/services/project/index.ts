import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type ProjectService,
  ProjectServiceCreateResponseSchema,
  ProjectServiceDeleteResponseSchema,
  ProjectServiceGetResponseSchema,
  ProjectServiceInviteAcceptResponseSchema,
  ProjectServiceInviteDeleteResponseSchema,
  ProjectServiceInviteListResponseSchema,
  ProjectServiceInviteResponseSchema,
  ProjectServiceLeaveResponseSchema,
  ProjectServiceListResponseSchema,
  ProjectServiceMemberListResponseSchema,
  ProjectServiceMemberRemoveResponseSchema,
  ProjectServiceMemberUpdateResponseSchema,
  ProjectServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/project_pb.js";
import type { AppContext } from "../../context.js";
import { callerId } from "../../tenancy/caller.js";
import { projectInviteMessage, projectMemberMessage, projectMessage } from "../../tenancy/convert.js";
import { acceptProjectInvite, createProjectInvite } from "../../tenancy/invites.js";
import { projectRepo } from "../../tenancy/project-repo.js";
import {
  createProject,
  deleteProject,
  getProject,
  listProjectMembers,
  removeProjectMember,
  updateProject,
  updateProjectMember,
} from "../../tenancy/projects.js";
import { userRepo } from "../../tenancy/user-repo.js";
import { requireId } from "../../tenancy/validation.js";

/**
 * projectService implements the project API. The authorize interceptor has checked the caller's
 * role on `req.project` (or `req.tenant` for Create) before a scoped handler runs; handlers stay
 * within that subject.
 */
export function projectService(ctx: AppContext): Partial<ServiceImpl<typeof ProjectService>> {
  return {
    async create(req, context) {
      const project = await createProject(ctx, requireId("tenant", req.tenant), callerId(context), {
        name: req.name,
        description: req.description,
        labels: req.labels,
      });
      return create(ProjectServiceCreateResponseSchema, { project: projectMessage(project) });
    },

    async get(req) {
      const project = await getProject(ctx, requireId("project", req.project));
      return create(ProjectServiceGetResponseSchema, { project: projectMessage(project) });
    },

    async list(req, context) {
      const projects = await userRepo(ctx.db.kysely, callerId(context)).visibleProjects({
        tenant: req.tenant,
        name: req.name,
      });
      return create(ProjectServiceListResponseSchema, { projects: projects.map(projectMessage) });
    },

    async update(req) {
      const project = await updateProject(
        ctx,
        requireId("project", req.project),
        Number(req.updateMeta?.generation ?? 0n),
        {
          name: req.name,
          description: req.description,
          labelsUpdate: req.labelsUpdate,
          labelsRemove: req.labelsRemove,
        },
      );
      return create(ProjectServiceUpdateResponseSchema, { project: projectMessage(project) });
    },

    async delete(req) {
      const project = await deleteProject(ctx, requireId("project", req.project));
      return create(ProjectServiceDeleteResponseSchema, { project: projectMessage(project) });
    },

    async memberList(req) {
      const members = await listProjectMembers(ctx, requireId("project", req.project));
      return create(ProjectServiceMemberListResponseSchema, { members: members.map(projectMemberMessage) });
    },

    async memberUpdate(req) {
      const member = await updateProjectMember(
        ctx,
        requireId("project", req.project),
        requireId("user", req.user),
        req.role,
      );
      return create(ProjectServiceMemberUpdateResponseSchema, { member: projectMemberMessage(member) });
    },

    async memberRemove(req) {
      await removeProjectMember(ctx, requireId("project", req.project), requireId("user", req.user), false);
      return create(ProjectServiceMemberRemoveResponseSchema, {});
    },

    async invite(req, context) {
      const { row, secret, project } = await createProjectInvite(
        ctx,
        requireId("project", req.project),
        callerId(context),
        req.role,
        req.expiresAt ? timestampDate(req.expiresAt) : undefined,
      );
      return create(ProjectServiceInviteResponseSchema, {
        invite: projectInviteMessage(row, project),
        secret,
      });
    },

    async inviteList(req) {
      const project = await getProject(ctx, requireId("project", req.project));
      const invites = await projectRepo(ctx.db.kysely, project.id).openInvites();
      return create(ProjectServiceInviteListResponseSchema, {
        invites: invites.map((i) => projectInviteMessage(i, project)),
      });
    },

    async inviteDelete(req) {
      const project = requireId("project", req.project);
      const deleted = await projectRepo(ctx.db.kysely, project).deleteInvite(requireId("id", req.id));
      if (!deleted)
        throw new ConnectError(`project "${project}" has no open invite "${req.id}"`, Code.NotFound);
      return create(ProjectServiceInviteDeleteResponseSchema, {});
    },

    async inviteAccept(req, context) {
      const { project, role } = await acceptProjectInvite(ctx, callerId(context), req.secret);
      return create(ProjectServiceInviteAcceptResponseSchema, {
        project: project.id,
        projectName: project.name,
        tenant: project.tenant_id,
        role,
      });
    },

    async leave(req, context) {
      await removeProjectMember(ctx, requireId("project", req.project), callerId(context), true);
      return create(ProjectServiceLeaveResponseSchema, {});
    },
  };
}
