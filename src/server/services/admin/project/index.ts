import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
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
      // A mistyped tenant is an error, not an empty list that reads as "this tenant has no projects".
      if (
        req.tenant &&
        !(await ctx.db.kysely
          .selectFrom("tenants")
          .select("id")
          .where("id", "=", req.tenant)
          .executeTakeFirst())
      ) {
        throw new ConnectError(
          `tenant: tenant "${req.tenant}" does not exist; name a tenant by its ID (metalctl admin tenant list)`,
          Code.NotFound,
        );
      }
      const page = await listAllProjects(ctx.db.kysely, { tenant: req.tenant }, req.paging);
      return create(ProjectServiceListResponseSchema, {
        projects: page.items.map(projectMessage),
        nextPageToken: page.nextPageToken,
      });
    },
  };
}
