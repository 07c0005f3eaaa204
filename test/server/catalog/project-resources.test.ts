import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpdateLabelsSchema, UpdateMetaSchema } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import {
  FilesystemFormat,
  FilesystemLayoutConstraintsSchema,
  FilesystemSchema,
} from "../../../src/gen/metalstack/api/v2/filesystem_pb.js";
import { ImageClassification, ImageFeature } from "../../../src/gen/metalstack/api/v2/image_pb.js";
import {
  createFilesystemLayout,
  deleteFilesystemLayout,
  getFilesystemLayoutForProject,
  updateFilesystemLayout,
} from "../../../src/server/catalog/filesystem-layouts.js";
import {
  createImage,
  deleteImage,
  getImageForProject,
  type ImageInput,
  updateImage,
} from "../../../src/server/catalog/images.js";
import { DIALECTS, openTestStore, type TestStore } from "../network/stores.js";
import { expectCode } from "../tenancy/expect-code.js";
import { expectConcurrentUpdates } from "./concurrent-update.js";

const generation = (n: bigint) => create(UpdateMetaSchema, { generation: n });
const labels = (update: Record<string, string>, remove: string[] = []) =>
  create(UpdateLabelsSchema, { update, remove });
const T0 = new Date("2025-01-01T00:00:00.000Z");
const T1 = new Date("2025-01-02T00:00:00.000Z");
const rootFs = [create(FilesystemSchema, { device: "/dev/sda1", format: FilesystemFormat.EXT4, path: "/" })];
const varFs = [create(FilesystemSchema, { device: "/dev/sda2", format: FilesystemFormat.XFS, path: "/var" })];

function image(id: string, more: Partial<ImageInput> = {}): ImageInput {
  return {
    id,
    name: "",
    description: "",
    url: `https://img.example/${id}`,
    features: [],
    classification: ImageClassification.UNSPECIFIED,
    labels: {},
    ...more,
  };
}

function layout(id: string, description = "") {
  return { id, name: "", description, filesystems: rootFs, disks: [], labels: { a: "1", b: "2" } };
}

// Images and filesystem layouts belong to a project, or are global with project "": a project sees
// its own and the global ones, changes only its own; operators (project "") change the global ones.
describe.each(
  DIALECTS,
)("images and filesystem layouts (project-scoped catalog rows) on %s", (dialect, run) => {
  let store: TestStore;
  const db = () => store.db.kysely;

  async function insertMachine(id: string, project: string, imageId: string) {
    await sql`insert into machines (id, partition, size, rack, hardware, bmc_address, bmc_user,
      bmc_password, state, state_description, project, image, labels, last_event, event_seq, generation,
      created_at, updated_at)
      values (${id}, 'p1', 's1', 'r1', '{}', '', '', '', 0, '', ${project}, ${imageId}, '{}', 0, 0, 1, '', '')`.execute(
      db(),
    );
  }

  beforeAll(async () => {
    if (!run) return;
    store = await openTestStore(dialect);
    // Machines refer to their project: the projects exist, images and layouts need no more than their id.
    await sql`insert into tenants (id, name, description, email, created_by, generation, labels, created_at,
      updated_at) values ('t1', 't1', '', '', 'u1', 1, '{}', '', '')`.execute(db());
    for (const project of ["proj-a", "proj-b"]) {
      await sql`insert into projects (id, tenant_id, name, description, generation, labels, created_at,
        updated_at) values (${project}, 't1', ${project}, '', 1, '{}', '', '')`.execute(db());
    }
    await createImage(db(), "", image("ubuntu-24.04"), T0);
    await createImage(db(), "proj-a", image("alpine-3.20", { name: "alpine" }), T0);
    await createFilesystemLayout(db(), "", layout("global-layout"), T0);
    await createFilesystemLayout(db(), "proj-a", layout("own-layout", "mine"), T0);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.runIf(run)("names what a project cannot see as NotFound, and refuses it global rows", async () => {
    await expectCode(
      getImageForProject(db(), "proj-b", "alpine-3.20"),
      Code.NotFound,
      /^image "alpine-3.20" not found$/,
    );
    await expectCode(
      updateImage(db(), "proj-b", "alpine-3.20", { name: "x" }),
      Code.NotFound,
      /^image "alpine-3.20" not found$/,
    );
    await expectCode(
      deleteImage(db(), "proj-b", "alpine-3.20"),
      Code.NotFound,
      /^image "alpine-3.20" not found$/,
    );
    await expectCode(
      updateImage(db(), "proj-a", "ubuntu-24.04", { name: "mine" }),
      Code.PermissionDenied,
      /^image "ubuntu-24.04" is global; only operators can change it$/,
    );
    await expectCode(
      deleteImage(db(), "proj-a", "ubuntu-24.04"),
      Code.PermissionDenied,
      /^image "ubuntu-24.04" is global; only operators can delete it$/,
    );
    // Operators act on global rows only: a project's row is not theirs to find under project "".
    await expectCode(
      updateImage(db(), "", "alpine-3.20", { name: "x" }),
      Code.NotFound,
      /^image "alpine-3.20" not found$/,
    );

    await expectCode(
      getFilesystemLayoutForProject(db(), "proj-b", "own-layout"),
      Code.NotFound,
      /^filesystem layout "own-layout" not found$/,
    );
    await expectCode(
      updateFilesystemLayout(db(), "proj-b", "own-layout", { name: "x" }),
      Code.NotFound,
      /^filesystem layout "own-layout" not found$/,
    );
    await expectCode(
      deleteFilesystemLayout(db(), "proj-b", "own-layout"),
      Code.NotFound,
      /^filesystem layout "own-layout" not found$/,
    );
    await expectCode(
      updateFilesystemLayout(db(), "proj-a", "global-layout", { name: "mine" }),
      Code.PermissionDenied,
      /^filesystem layout "global-layout" is global; only operators can change it$/,
    );
    await expectCode(
      deleteFilesystemLayout(db(), "proj-a", "global-layout"),
      Code.PermissionDenied,
      /^filesystem layout "global-layout" is global; only operators can delete it$/,
    );
    await expectCode(
      deleteFilesystemLayout(db(), "", "own-layout"),
      Code.NotFound,
      /^filesystem layout "own-layout" not found$/,
    );

    // Nothing above changed a row.
    expect((await getImageForProject(db(), "proj-a", "ubuntu-24.04")).meta?.generation).toBe(1n);
    expect((await getImageForProject(db(), "proj-a", "alpine-3.20")).name).toBe("alpine");
    expect((await getFilesystemLayoutForProject(db(), "proj-a", "global-layout")).meta?.generation).toBe(1n);
  });

  it.runIf(run)("refuses a second row with a taken id", async () => {
    await expectCode(
      createImage(db(), "proj-a", image("alpine-3.20")),
      Code.AlreadyExists,
      /^image "alpine-3.20" already exists$/,
    );
    await expectCode(
      createFilesystemLayout(db(), "proj-a", layout("own-layout")),
      Code.AlreadyExists,
      /^filesystem layout "own-layout" already exists$/,
    );
    await expectCode(
      createImage(db(), "proj-a", image("ubuntu-24.04")),
      Code.AlreadyExists,
      /^image "ubuntu-24.04" already exists as a global image; pick another id$/,
    );
    await expectCode(
      createFilesystemLayout(db(), "", layout("own-layout")),
      Code.AlreadyExists,
      /^filesystem layout "own-layout" already exists in project "proj-a"; pick another id$/,
    );
  });

  it.runIf(run)(
    "updates an image's fields, labels and generation, and refuses stale generations",
    async () => {
      const updated = await updateImage(
        db(),
        "proj-a",
        "alpine-3.20",
        {
          updateMeta: generation(1n),
          description: "first",
          url: "https://img.example/new",
          features: [ImageFeature.FIREWALL],
          classification: ImageClassification.SUPPORTED,
          labels: labels({ team: "a" }),
        },
        T1,
      );
      expect(updated).toMatchObject({
        project: "proj-a",
        name: "alpine",
        description: "first",
        url: "https://img.example/new",
        features: [ImageFeature.FIREWALL],
        classification: ImageClassification.SUPPORTED,
      });
      expect(updated.meta?.generation).toBe(2n);
      expect(updated.meta?.labels).toEqual({ team: "a" });
      expect(updated.meta?.createdAt?.seconds).toBe(BigInt(T0.getTime() / 1000));
      expect(updated.meta?.updatedAt?.seconds).toBe(BigInt(T1.getTime() / 1000));
      expect(await getImageForProject(db(), "proj-a", "alpine-3.20")).toEqual(updated);

      // Unset fields and empty features stay; generation 0 skips the check.
      const kept = await updateImage(db(), "proj-a", "alpine-3.20", {
        updateMeta: generation(0n),
        features: [],
      });
      expect(kept.description).toBe("first");
      expect(kept.features).toEqual([ImageFeature.FIREWALL]);
      expect(kept.meta?.generation).toBe(3n);

      await expectCode(
        updateImage(db(), "proj-a", "alpine-3.20", { updateMeta: generation(2n), description: "stale" }),
        Code.FailedPrecondition,
        /^image "alpine-3.20" was changed by someone else \(generation 3, you read 2\); read it again$/,
      );
      // The generation is checked before the fields.
      await expectCode(
        updateImage(db(), "proj-a", "alpine-3.20", { updateMeta: generation(2n), url: "ftp://x" }),
        Code.FailedPrecondition,
        /^image "alpine-3.20" was changed by someone else/,
      );
      await expectCode(
        updateImage(db(), "proj-a", "alpine-3.20", { url: "ftp://x", labels: labels({ "-bad": "x" }) }),
        Code.InvalidArgument,
        /^url: "ftp:\/\/x" must be an http\(s\) URL/,
      );
      await expectCode(
        updateImage(db(), "proj-a", "alpine-3.20", { labels: labels({ "-bad": "x" }) }),
        Code.InvalidArgument,
        /^labels\.update: key "-bad"/,
      );
      const after = await getImageForProject(db(), "proj-a", "alpine-3.20");
      expect(after.description).toBe("first");
      expect(after.meta?.generation).toBe(3n);

      // Operators change global images under the same rules.
      const global = await updateImage(
        db(),
        "",
        "ubuntu-24.04",
        { updateMeta: generation(1n), name: "Ubuntu" },
        T1,
      );
      expect(global).toMatchObject({ project: "", name: "Ubuntu" });
      expect(global.meta?.generation).toBe(2n);
      await expectCode(
        updateImage(db(), "", "ubuntu-24.04", { updateMeta: generation(1n), name: "stale" }),
        Code.FailedPrecondition,
        /^image "ubuntu-24.04" was changed by someone else \(generation 2, you read 1\); read it again$/,
      );
    },
  );

  it.runIf(run)(
    "updates a layout's fields, labels and generation, and refuses stale generations",
    async () => {
      const updated = await updateFilesystemLayout(
        db(),
        "proj-a",
        "own-layout",
        {
          updateMeta: generation(1n),
          name: "Own",
          filesystems: varFs,
          constraints: create(FilesystemLayoutConstraintsSchema, { sizes: ["c1-*"] }),
          labels: labels({ c: "3" }, ["a"]),
        },
        T1,
      );
      expect(updated).toMatchObject({ project: "proj-a", name: "Own", description: "mine" });
      expect(updated.filesystems.map((f) => f.path)).toEqual(["/var"]);
      expect(updated.constraints?.sizes).toEqual(["c1-*"]);
      expect(updated.meta?.generation).toBe(2n);
      expect(updated.meta?.labels).toEqual({ b: "2", c: "3" });
      expect(updated.meta?.updatedAt?.seconds).toBe(BigInt(T1.getTime() / 1000));
      expect(await getFilesystemLayoutForProject(db(), "proj-a", "own-layout")).toEqual(updated);

      // Unset fields and empty lists stay; generation 0 skips the check.
      const kept = await updateFilesystemLayout(db(), "proj-a", "own-layout", {
        updateMeta: generation(0n),
        filesystems: [],
        disks: [],
      });
      expect(kept.filesystems.map((f) => f.path)).toEqual(["/var"]);
      expect(kept.meta?.generation).toBe(3n);

      await expectCode(
        updateFilesystemLayout(db(), "proj-a", "own-layout", { updateMeta: generation(1n), name: "stale" }),
        Code.FailedPrecondition,
        /^filesystem layout "own-layout" was changed by someone else \(generation 3, you read 1\); read it again$/,
      );
      await expectCode(
        updateFilesystemLayout(db(), "proj-a", "own-layout", {
          filesystems: [create(FilesystemSchema, { device: "sda", format: FilesystemFormat.EXT4 })],
        }),
        Code.InvalidArgument,
        /^filesystems\[0\]\.device: "sda" must start with \/dev\/$/,
      );
      expect((await getFilesystemLayoutForProject(db(), "proj-a", "own-layout")).meta?.generation).toBe(3n);

      const global = await updateFilesystemLayout(db(), "", "global-layout", { description: "for all" });
      expect(global).toMatchObject({ project: "", description: "for all" });
      expect(global.meta?.generation).toBe(2n);
    },
  );

  it.runIf(run)("deletes an image only when no machine of its scope is installed with it", async () => {
    await createImage(db(), "proj-a", image("debian-12.1"));
    await createImage(db(), "proj-b", image("debian-12.1"));
    await insertMachine("m-b", "proj-b", "debian-12.1");
    await expectCode(
      deleteImage(db(), "proj-b", "debian-12.1"),
      Code.FailedPrecondition,
      /^image "debian-12.1" is still installed on machines; delete them first$/,
    );
    // Another project's machine does not hold a project's image.
    expect((await deleteImage(db(), "proj-a", "debian-12.1")).project).toBe("proj-a");
    await expectCode(getImageForProject(db(), "proj-a", "debian-12.1"), Code.NotFound);
    expect((await getImageForProject(db(), "proj-b", "debian-12.1")).project).toBe("proj-b");

    // Any machine holds a global image.
    await createImage(db(), "", image("centos-9.1"));
    await insertMachine("m-c", "proj-b", "centos-9.1");
    await expectCode(
      deleteImage(db(), "", "centos-9.1"),
      Code.FailedPrecondition,
      /^image "centos-9.1" is still installed on machines; delete them first$/,
    );
    await sql`delete from machines where id in ('m-b', 'm-c')`.execute(db());
    expect((await deleteImage(db(), "", "centos-9.1")).id).toBe("centos-9.1");
    expect((await deleteImage(db(), "proj-b", "debian-12.1")).id).toBe("debian-12.1");
    await expectCode(
      deleteImage(db(), "proj-b", "debian-12.1"),
      Code.NotFound,
      /^image "debian-12.1" not found$/,
    );
  });

  it.runIf(run)("deletes a project's layout and returns it", async () => {
    await createFilesystemLayout(db(), "proj-b", layout("short-lived"));
    const gone = await deleteFilesystemLayout(db(), "proj-b", "short-lived");
    expect(gone).toMatchObject({ id: "short-lived", project: "proj-b" });
    await expectCode(
      deleteFilesystemLayout(db(), "proj-b", "short-lived"),
      Code.NotFound,
      /^filesystem layout "short-lived" not found$/,
    );
  });

  // Overlapping writers: without a generation the last one wins, with the generation both read the
  // second is refused. Only PostgreSQL runs writers concurrently.
  it.runIf(run && dialect === "postgres")(
    "lets concurrent updates win unless they name a generation that changed",
    async () => {
      await createImage(db(), "proj-a", image("race-1.0"));
      await createFilesystemLayout(db(), "proj-a", layout("race"));
      await expectConcurrentUpdates(
        db(),
        "images",
        'image "race-1.0"',
        async () => (await getImageForProject(db(), "proj-a", "race-1.0")).meta?.generation,
        (trx, updateMeta) => updateImage(trx, "proj-a", "race-1.0", { updateMeta, name: "x" }),
      );
      await expectConcurrentUpdates(
        db(),
        "filesystem_layouts",
        'filesystem layout "race"',
        async () => (await getFilesystemLayoutForProject(db(), "proj-a", "race")).meta?.generation,
        (trx, updateMeta) => updateFilesystemLayout(trx, "proj-a", "race", { updateMeta, name: "x" }),
      );
    },
  );
});
