import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type FilesystemService,
  FilesystemServiceCreateResponseSchema,
  FilesystemServiceDeleteResponseSchema,
  FilesystemServiceGetResponseSchema,
  FilesystemServiceListResponseSchema,
  FilesystemServiceMatchResponseSchema,
  FilesystemServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/filesystem_pb.js";
import {
  createFilesystemLayout,
  deleteFilesystemLayout,
  getFilesystemLayoutForProject,
  listFilesystemLayoutsForProject,
  matchFilesystemLayout,
  updateFilesystemLayout,
} from "../../catalog/filesystem-layouts.js";
import type { AppContext } from "../../context.js";

/**
 * filesystemService serves a project's view of filesystem layouts: global ones plus its own. Writes
 * only touch the project's own layouts; every query is scoped by `req.project`.
 */
export function filesystemService(ctx: AppContext): Partial<ServiceImpl<typeof FilesystemService>> {
  const db = ctx.db.kysely;
  return {
    async get(req) {
      const filesystemLayout = await getFilesystemLayoutForProject(db, req.project, req.id);
      return create(FilesystemServiceGetResponseSchema, { filesystemLayout });
    },
    async list(req) {
      const filesystemLayouts = await listFilesystemLayoutsForProject(db, req.project);
      return create(FilesystemServiceListResponseSchema, { filesystemLayouts });
    },
    async match(req) {
      const filesystemLayout = await matchFilesystemLayout(db, req.project, req.size, req.image);
      return create(FilesystemServiceMatchResponseSchema, { filesystemLayout });
    },
    async create(req) {
      const filesystemLayout = await db
        .transaction()
        .execute((trx) => createFilesystemLayout(trx, req.project, req, ctx.now()));
      return create(FilesystemServiceCreateResponseSchema, { filesystemLayout });
    },
    async update(req) {
      const filesystemLayout = await db
        .transaction()
        .execute((trx) => updateFilesystemLayout(trx, req.project, req.id, req, ctx.now()));
      return create(FilesystemServiceUpdateResponseSchema, { filesystemLayout });
    },
    async delete(req) {
      const filesystemLayout = await db
        .transaction()
        .execute((trx) => deleteFilesystemLayout(trx, req.project, req.id));
      return create(FilesystemServiceDeleteResponseSchema, { filesystemLayout });
    },
  };
}
