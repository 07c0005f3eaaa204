import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type VersionService,
  VersionServiceGetResponseSchema,
} from "../../../gen/metalstack/api/v2/version_pb.js";
import { packageVersion } from "../../../shared/version.js";

/** versionService returns the package version and the Node.js runtime. */
export function versionService(): Partial<ServiceImpl<typeof VersionService>> {
  return {
    get: () =>
      create(VersionServiceGetResponseSchema, {
        version: {
          version: packageVersion,
          revision: process.env.METAL_REVISION ?? "",
          nodeVersion: process.version,
        },
      }),
  };
}
