import { create } from "@bufbuild/protobuf";
import { FilesystemLayoutConstraintsSchema } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";
import { ImageClassification, ImageFeature } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { createFilesystemLayout } from "../../../src/server/catalog/filesystem-layouts.js";
import { createImage } from "../../../src/server/catalog/images.js";
import type { AppContext } from "../../../src/server/context.js";
import { seedTestCatalog } from "../machine/fixture.js";

/** FIREWALL_IMAGE is the firewall image the firewall tests allocate with. */
export const FIREWALL_IMAGE = "firewall-ubuntu-3.0.20251120";

/** seedFirewallCatalog seeds the machine test catalog plus a firewall image and a filesystem layout that fits it. */
export async function seedFirewallCatalog(ctx: AppContext): Promise<void> {
  await seedTestCatalog(ctx);
  const db = ctx.db.kysely;
  await createImage(db, "", {
    id: FIREWALL_IMAGE,
    name: "Firewall 3.0",
    description: "",
    url: "https://images.example.com/firewall-3.0.tar.lz4",
    features: [ImageFeature.FIREWALL],
    classification: ImageClassification.SUPPORTED,
    labels: {},
  });
  await createFilesystemLayout(db, "", {
    id: "firewall",
    name: "firewall",
    description: "",
    filesystems: [],
    disks: [],
    constraints: create(FilesystemLayoutConstraintsSchema, {
      sizes: ["*"],
      images: { "firewall-ubuntu": "*" },
    }),
    labels: {},
  });
}
