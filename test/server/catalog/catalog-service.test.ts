import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FilesystemService as AdminFilesystemService } from "../../../src/gen/metalstack/admin/v2/filesystem_pb.js";
import { ImageService as AdminImageService } from "../../../src/gen/metalstack/admin/v2/image_pb.js";
import { PartitionService as AdminPartitionService } from "../../../src/gen/metalstack/admin/v2/partition_pb.js";
import { SizeService as AdminSizeService } from "../../../src/gen/metalstack/admin/v2/size_pb.js";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { FilesystemFormat, FilesystemService } from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";
import { ImageFeature, ImageService } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import { PartitionService } from "../../../src/gen/metalstack/api/v2/partition_pb.js";
import { SizeConstraintType, SizeService } from "../../../src/gen/metalstack/api/v2/size_pb.js";
import { startDialectServer } from "../../helpers/dialect-server.js";
import type { TestServer } from "../../helpers/start-server.js";
import { DIALECTS } from "../network/stores.js";
import { anonymous, type Caller, operator, projectOwner } from "./callers.js";

async function code(p: Promise<unknown>): Promise<Code | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e).code,
  );
}

const rootFs = [{ device: "/dev/sda1", format: FilesystemFormat.EXT4, path: "/" }];

describe.each(DIALECTS)("catalog services on %s", (dialect, run) => {
  let server: TestServer;
  let admin: Caller;
  let viewer: Caller;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    if (!run) return;
    server = await startDialectServer(dialect);
    admin = await operator(server, "cat-admin");
    viewer = await operator(server, "cat-viewer", AdminRole.VIEWER);
    alice = await projectOwner(server, "cat-alice");
    bob = await projectOwner(server, "cat-bob");
    await admin.client(AdminPartitionService).create({ id: "fra-equ01", description: "Frankfurt" });
    await admin.client(AdminSizeService).create({
      id: "c1-small-x86",
      name: "small",
      constraints: [{ type: SizeConstraintType.CORES, min: 4n, max: 4n }],
    });
    for (const id of [
      "ubuntu-24.04.20250101",
      "ubuntu-24.04.20251120",
      "ubuntu-24.10.1",
      "ubuntu-22.04.20251201",
    ]) {
      await admin.client(AdminImageService).create({ id, url: `https://img.example/${id}` });
    }
    await admin.client(AdminImageService).create({
      id: "firewall-ubuntu-3.0",
      url: "https://img.example/fw",
      features: [ImageFeature.FIREWALL],
    });
    await admin.client(AdminFilesystemService).create({
      id: "default",
      filesystems: rootFs,
      constraints: { sizes: ["*"], images: { ubuntu: "*" } },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.runIf(run)("lets logged-in users read partitions and sizes, not anonymous callers", async () => {
    const parts = await alice.client(PartitionService).list({});
    expect(parts.partitions.map((p) => p.id)).toEqual(["fra-equ01"]);
    const size = await alice.client(SizeService).get({ id: "c1-small-x86" });
    expect(size.size?.constraints[0]?.min).toBe(4n);
    expect(await code(anonymous(server).client(PartitionService).list({}))).toBe(Code.Unauthenticated);
    expect(await code(alice.client(SizeService).get({ id: "nope" }))).toBe(Code.NotFound);
  });

  it.runIf(run)("refuses users and admin viewers every change of global resources", async () => {
    for (const caller of [alice, viewer]) {
      expect(await code(caller.client(AdminPartitionService).create({ id: "x" }))).toBe(
        Code.PermissionDenied,
      );
      expect(
        await code(
          caller.client(AdminPartitionService).update({ id: "fra-equ01", updateMeta: {}, description: "x" }),
        ),
      ).toBe(Code.PermissionDenied);
      expect(await code(caller.client(AdminPartitionService).delete({ id: "fra-equ01" }))).toBe(
        Code.PermissionDenied,
      );
      expect(await code(caller.client(AdminSizeService).delete({ id: "c1-small-x86" }))).toBe(
        Code.PermissionDenied,
      );
      expect(
        await code(caller.client(AdminImageService).create({ id: "evil-1.0", url: "https://x/y" })),
      ).toBe(Code.PermissionDenied);
      expect(await code(caller.client(AdminFilesystemService).delete({ id: "default" }))).toBe(
        Code.PermissionDenied,
      );
    }
    // Through the project-scoped API a global image or layout cannot be changed either.
    const img = await code(
      alice
        .client(ImageService)
        .update({ project: alice.project, id: "ubuntu-24.04.20251120", updateMeta: {}, name: "mine" }),
    );
    expect(img).toBe(Code.PermissionDenied);
    expect(
      await code(alice.client(ImageService).delete({ project: alice.project, id: "ubuntu-24.04.20251120" })),
    ).toBe(Code.PermissionDenied);
    expect(
      await code(alice.client(FilesystemService).delete({ project: alice.project, id: "default" })),
    ).toBe(Code.PermissionDenied);
    const unchanged = await alice
      .client(ImageService)
      .get({ project: alice.project, id: "ubuntu-24.04.20251120" });
    expect(unchanged.image?.name).toBe("");
    // Admin viewers may read everything.
    const all = await viewer.client(AdminImageService).list({});
    expect(all.images.length).toBeGreaterThanOrEqual(5);
  });

  it.runIf(run)("keeps project images and layouts invisible to other projects", async () => {
    await alice
      .client(ImageService)
      .create({ project: alice.project, id: "alpine-3.20", url: "https://img.example/a" });
    await alice.client(FilesystemService).create({
      project: alice.project,
      id: "alice-layout",
      filesystems: rootFs,
      constraints: { sizes: ["*"] },
    });
    const own = await alice.client(ImageService).list({ project: alice.project });
    expect(own.images.map((i) => i.id)).toContain("alpine-3.20");
    const theirs = await bob.client(ImageService).list({ project: bob.project });
    expect(theirs.images.map((i) => i.id)).not.toContain("alpine-3.20");
    expect(await code(bob.client(ImageService).get({ project: bob.project, id: "alpine-3.20" }))).toBe(
      Code.NotFound,
    );
    expect(await code(bob.client(ImageService).delete({ project: bob.project, id: "alpine-3.20" }))).toBe(
      Code.NotFound,
    );
    expect(await code(bob.client(ImageService).get({ project: alice.project, id: "alpine-3.20" }))).toBe(
      Code.PermissionDenied,
    );
    expect(await code(bob.client(FilesystemService).get({ project: bob.project, id: "alice-layout" }))).toBe(
      Code.NotFound,
    );
    const layouts = await bob.client(FilesystemService).list({ project: bob.project });
    expect(layouts.filesystemLayouts.map((l) => l.id)).toEqual(["default"]);
    // Bob may reuse the id in his own project without learning about Alice's image.
    await bob
      .client(ImageService)
      .create({ project: bob.project, id: "alpine-3.20", url: "https://img.example/b" });
    const bobs = await bob.client(ImageService).get({ project: bob.project, id: "alpine-3.20" });
    expect(bobs.image?.url).toBe("https://img.example/b");
    // A project image may not shadow a global one.
    expect(
      await code(
        alice
          .client(ImageService)
          .create({ project: alice.project, id: "ubuntu-24.04.20251120", url: "https://x/y" }),
      ),
    ).toBe(Code.AlreadyExists);
  });

  it.runIf(run)("filters images and finds the latest by semantic version", async () => {
    const c = alice.client(ImageService);
    const latest = await c.latest({ project: alice.project, os: "ubuntu" });
    expect(latest.image?.id).toBe("ubuntu-24.10.1");
    const lts = await c.latest({ project: alice.project, os: "ubuntu-24.04" });
    expect(lts.image?.id).toBe("ubuntu-24.04.20251120");
    const fw = await c.latest({
      project: alice.project,
      os: "firewall-ubuntu",
      feature: ImageFeature.FIREWALL,
    });
    expect(fw.image?.id).toBe("firewall-ubuntu-3.0");
    expect(await code(c.latest({ project: alice.project, os: "windows" }))).toBe(Code.NotFound);
    const list = await c.list({ project: alice.project, os: "ubuntu", version: "24.04" });
    expect(list.images.map((i) => i.id)).toEqual(["ubuntu-24.04.20251120", "ubuntu-24.04.20250101"]);
    const firewalls = await c.list({ project: alice.project, feature: ImageFeature.FIREWALL });
    expect(firewalls.images.map((i) => i.id)).toEqual(["firewall-ubuntu-3.0"]);
    const unfiltered = await c.list({ project: alice.project, feature: ImageFeature.UNSPECIFIED });
    expect(unfiltered.images.length).toBe((await c.list({ project: alice.project })).images.length);
  });

  it.runIf(run)("updates with optimistic locking and explains stale generations", async () => {
    const c = alice.client(ImageService);
    const created = await c.create({
      project: alice.project,
      id: "centos-9.1",
      url: "https://img.example/c",
    });
    const gen = created.image!.meta!.generation;
    const updated = await c.update({
      project: alice.project,
      id: "centos-9.1",
      updateMeta: { generation: gen },
      description: "mine",
      labels: { update: { team: "a" }, remove: [] },
    });
    expect(updated.image?.meta?.generation).toBe(gen + 1n);
    expect(updated.image?.meta?.labels).toEqual({ team: "a" });
    const stale = await c
      .update({ project: alice.project, id: "centos-9.1", updateMeta: { generation: gen }, description: "x" })
      .catch((e: unknown) => ConnectError.from(e));
    expect(stale).toBeInstanceOf(ConnectError);
    expect((stale as ConnectError).code).toBe(Code.FailedPrecondition);
    expect((stale as ConnectError).rawMessage).toContain("changed by someone else");
  });

  it.runIf(run)("names the field of bad input", async () => {
    const bad = await admin
      .client(AdminImageService)
      .create({ id: "no version", url: "https://x" })
      .catch((e: unknown) => ConnectError.from(e));
    expect((bad as ConnectError).code).toBe(Code.InvalidArgument);
    expect((bad as ConnectError).rawMessage).toMatch(/^id: /);
    const url = await admin
      .client(AdminImageService)
      .create({ id: "ubuntu-26.04", url: "ftp://x" })
      .catch((e: unknown) => ConnectError.from(e));
    expect((url as ConnectError).rawMessage).toMatch(/^url: /);
    const size = await admin
      .client(AdminSizeService)
      .create({ id: "s1", constraints: [{ type: SizeConstraintType.MEMORY, min: 2n, max: 1n }] })
      .catch((e: unknown) => ConnectError.from(e));
    expect((size as ConnectError).rawMessage).toMatch(/^constraints\[0\]: min 2 is greater than max 1/);
  });
});
