import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type FilesystemService,
  FilesystemServiceCreateResponseSchema,
  FilesystemServiceDeleteResponseSchema,
  FilesystemServiceListResponseSchema,
  FilesystemServiceUpdateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/filesystem_pb.js";
import {
  createFilesystemLayout,
  deleteFilesystemLayout,
  listFilesystemLayouts,
  updateFilesystemLayout,
} from "../../../catalog/filesystem-layouts.js";
import type { AppContext } from "../../../context.js";

/** adminFilesystemService lets operators manage global filesystem layouts and list every project's. */
export function adminFilesystemService(ctx: AppContext): Partial<ServiceImpl<typeof FilesystemService>> {
  const db = ctx.db.kysely;
  return {
    async list(req) {
      const filesystemLayouts = await listFilesystemLayouts(db, req.project);
      return create(FilesystemServiceListResponseSchema, { filesystemLayouts });
    },
    async create(req) {
      const filesystemLayout = await db
        .transaction()
        .execute((trx) => createFilesystemLayout(trx, "", req, ctx.now()));
      return create(FilesystemServiceCreateResponseSchema, { filesystemLayout });
    },
    async update(req) {
      const filesystemLayout = await db
        .transaction()
        .execute((trx) => updateFilesystemLayout(trx, "", req.id, req, ctx.now()));
      return create(FilesystemServiceUpdateResponseSchema, { filesystemLayout });
    },
    async delete(req) {
      const filesystemLayout = await db
        .transaction()
        .execute((trx) => deleteFilesystemLayout(trx, "", req.id));
      return create(FilesystemServiceDeleteResponseSchema, { filesystemLayout });
    },
  };
}
