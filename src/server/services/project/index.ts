import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type ProjectService,
  ProjectServiceCreateResponseSchema,
  ProjectServiceDeleteResponseSchema,
  ProjectServiceGetResponseSchema,
  ProjectServiceInviteAcceptResponseSchema,
  ProjectServiceListResponseSchema,
  ProjectServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/project_pb.js";
import type { AppContext } from "../../context.js";
import { callerId } from "../../tenancy/caller.js";
import { projectInviteMessage, projectMemberMessage, projectMessage } from "../../tenancy/convert.js";
import { projectInvites } from "../../tenancy/invites.js";
import { memberRpcs } from "../../tenancy/member-rpcs.js";
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
          labels: req.labels,
        },
      );
      return create(ProjectServiceUpdateResponseSchema, { project: projectMessage(project) });
    },

    async delete(req) {
      const project = await deleteProject(ctx, requireId("project", req.project));
      return create(ProjectServiceDeleteResponseSchema, { project: projectMessage(project) });
    },

    ...memberRpcs(ctx, {
      invites: projectInvites,
      get: getProject,
      listMembers: listProjectMembers,
      updateMember: updateProjectMember,
      removeMember: removeProjectMember,
      memberMessage: projectMemberMessage,
      inviteMessage: projectInviteMessage,
      accepted: (project, role) =>
        create(ProjectServiceInviteAcceptResponseSchema, {
          project: project.id,
          projectName: project.name,
          tenant: project.tenant_id,
          role,
        }),
    }),
  };
}
