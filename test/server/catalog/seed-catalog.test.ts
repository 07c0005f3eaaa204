import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FilesystemService } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";
import { ImageFeature, ImageService } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { NetworkService, NetworkType } from "../../../src/gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { SizeService } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import {
  DEMO_IMAGES,
  DEMO_NETWORKS,
  DEMO_PARTITION,
  DEMO_SIZES,
  seedCatalog,
} from "../../../src/server/dev/seed-catalog.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import { type Caller, projectOwner } from "./callers.js";

describe("seedCatalog", () => {
  let server: TestServer;
  let user: Caller;
  beforeAll(async () => {
    server = await startTestServer();
    await seedCatalog(server.ctx);
    user = await projectOwner(server, "seed-user");
  });
  afterAll(() => server.close());

  it("is idempotent", async () => {
    await seedCatalog(server.ctx);
    const sizes = await user.client(SizeService).list({});
    expect(sizes.sizes.map((s) => s.id)).toEqual([...DEMO_SIZES].sort());
  });

  it("gives users a working demo catalog", async () => {
    const partitions = await user.client(PartitionService).list({});
    expect(partitions.partitions.map((p) => p.id)).toEqual([DEMO_PARTITION]);
    const latest = await user.client(ImageService).latest({ project: user.project, os: "ubuntu" });
    expect(latest.image?.id).toBe(DEMO_IMAGES.ubuntu);
    const fw = await user
      .client(ImageService)
      .latest({ project: user.project, os: "firewall-ubuntu-3.0", feature: ImageFeature.FIREWALL });
    expect(fw.image?.id).toBe(DEMO_IMAGES.firewall);
    const large = await user
      .client(FilesystemService)
      .match({ project: user.project, size: "c1-large-x86", image: DEMO_IMAGES.ubuntu });
    expect(large.filesystemLayout?.id).toBe("large-data");
    const small = await user
      .client(FilesystemService)
      .match({ project: user.project, size: "c1-small-x86", image: DEMO_IMAGES.debian });
    expect(small.filesystemLayout?.id).toBe("default");
    const firewall = await user
      .client(FilesystemService)
      .match({ project: user.project, size: "c1-small-x86", image: DEMO_IMAGES.firewall });
    expect(firewall.filesystemLayout?.id).toBe("firewall");
    const networks = await user.client(NetworkService).list({ project: user.project });
    expect(networks.networks.map((n) => n.id).sort()).toEqual([
      DEMO_NETWORKS.internet,
      DEMO_NETWORKS.tenantSuper,
    ]);
    const child = await user
      .client(NetworkService)
      .create({ project: user.project, partition: DEMO_PARTITION });
    expect(child.network?.type).toBe(NetworkType.CHILD);
    expect(child.network?.prefixes[0]).toMatch(/\/22$/);
    expect(child.network?.prefixes[1]).toMatch(/\/64$/);
  });
});
