import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type ImageService,
  ImageServiceCreateResponseSchema,
  ImageServiceDeleteResponseSchema,
  ImageServiceListResponseSchema,
  ImageServiceUpdateResponseSchema,
} from "../../../../gen/metalstack/admin/v2/image_pb.js";
import { createImage, deleteImage, listImages, updateImage } from "../../../catalog/images.js";
import type { AppContext } from "../../../context.js";

/** adminImageService lets operators manage global images and list every project's images. */
export function adminImageService(ctx: AppContext): Partial<ServiceImpl<typeof ImageService>> {
  const db = ctx.db.kysely;
  return {
    async list(req) {
      return create(ImageServiceListResponseSchema, {
        images: await listImages(db, req.project, { os: req.os }),
      });
    },
    async create(req) {
      const image = await db.transaction().execute((trx) => createImage(trx, "", req, ctx.now()));
      return create(ImageServiceCreateResponseSchema, { image });
    },
    async update(req) {
      const image = await db.transaction().execute((trx) =>
        updateImage(
          trx,
          "",
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
      const image = await db.transaction().execute((trx) => deleteImage(trx, "", req.id));
      return create(ImageServiceDeleteResponseSchema, { image });
    },
  };
}
