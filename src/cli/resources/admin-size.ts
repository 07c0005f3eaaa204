import {
  SizeService as AdminSizeService,
  SizeServiceCreateRequestSchema,
  SizeServiceUpdateRequestSchema,
} from "../../gen/metalstack/admin/v2/size_pb.js";
import { type Size, SizeSchema } from "../../gen/metalstack/api/v2/size_pb.js";
import type { Applies, Deletes } from "./resource.js";
import { size, sizeView } from "./size.js";

/** adminSize is a size as operators create, change and delete it. */
export const adminSize: Deletes<Size> &
  Applies<Size, typeof SizeServiceUpdateRequestSchema, typeof SizeServiceCreateRequestSchema> = {
  scope: "server",
  noun: "size",
  view: sizeView,
  ref: size.ref,
  get: size.get,
  update: async (deps, req) => (await deps.client(AdminSizeService).update(req)).size!,
  editShape: (_project, id) => ({ request: SizeServiceUpdateRequestSchema, identity: { id } }),
  apply: {
    kind: "size",
    schema: SizeSchema,
    idPath: "id",
    namePath: "name",
    createShape: () => ({ request: SizeServiceCreateRequestSchema, identity: {} }),
  },
  create: async (deps, req) => (await deps.client(AdminSizeService).create(req)).size!,
  delete: async (deps, _project, id) => (await deps.client(AdminSizeService).delete({ id })).size!,
};
