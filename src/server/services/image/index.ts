import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type ImageService,
  ImageServiceCreateResponseSchema,
  ImageServiceDeleteResponseSchema,
  ImageServiceGetResponseSchema,
  ImageServiceLatestResponseSchema,
  ImageServiceListResponseSchema,
  ImageServiceUpdateResponseSchema,
} from "../../../gen/metalstack/api/v2/image_pb.js";
import {
  createImage,
  deleteImage,
  getImageForProject,
  latestImage,
  listImagesForProject,
  updateImage,
} from "../../catalog/images.js";
import type { AppContext } from "../../context.js";

/**
 * imageService serves a project's view of images: global ones plus its own. Writes only touch the
 * project's own images; every query is scoped by `req.project`, which authorization has checked.
 */
export function imageService(ctx: AppContext): Partial<ServiceImpl<typeof ImageService>> {
  const db = ctx.db.kysely;
  return {
    async get(req) {
      return create(ImageServiceGetResponseSchema, {
        image: await getImageForProject(db, req.project, req.id),
      });
    },
    async list(req) {
      const images = await listImagesForProject(db, req.project, {
        os: req.os,
        version: req.version,
        feature: req.feature,
      });
      return create(ImageServiceListResponseSchema, { images });
    },
    async latest(req) {
      const image = await latestImage(db, req.project, req.os, req.feature, ctx.now());
      return create(ImageServiceLatestResponseSchema, { image });
    },
    async create(req) {
      const image = await db.transaction().execute((trx) => createImage(trx, req.project, req, ctx.now()));
      return create(ImageServiceCreateResponseSchema, { image });
    },
    async update(req) {
      const image = await db.transaction().execute((trx) =>
        updateImage(
          trx,
          req.project,
          req.id,
          {
            updateMeta: req.updateMeta,
            name: req.name,
            description: req.description,
            url: req.url,
            features: req.features,
            classification: req.classification,
            expiresAt: req.expiresAt,
            labels: req.labels,
          },
          ctx.now(),
        ),
      );
      return create(ImageServiceUpdateResponseSchema, { image });
    },
    async delete(req) {
      const image = await db.transaction().execute((trx) => deleteImage(trx, req.project, req.id));
      return create(ImageServiceDeleteResponseSchema, { image });
    },
  };
}
