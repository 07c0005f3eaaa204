import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type ProjectService,
  ProjectServiceListResponseSchema,
} from "../../../../gen/metalstack/admin/v2/project_pb.js";
import type { AppContext } from "../../../context.js";
import { listAllProjects } from "../../../tenancy/admin-lists.js";
import { projectMessage } from "../../../tenancy/convert.js";

/** adminProjectService lets operators list every project, optionally of one tenant. */
export function adminProjectService(ctx: AppContext): Partial<ServiceImpl<typeof ProjectService>> {
  return {
    async list(req) {
      const page = await listAllProjects(ctx.db.kysely, { tenant: req.tenant }, req.paging);
      return create(ProjectServiceListResponseSchema, {
        projects: page.items.map(projectMessage),
        nextPageToken: page.nextPageToken,
      });
    },
  };
}
