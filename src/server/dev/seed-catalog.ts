import { create } from "@bufbuild/protobuf";
import {
  DiskSchema,
  FilesystemFormat,
  FilesystemLayoutConstraintsSchema,
  FilesystemSchema,
} from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { ImageClassification, ImageFeature } from "../../gen/metalstack/api/v2/image_pb.js";
import { NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import { SizeConstraintSchema, SizeConstraintType } from "../../gen/metalstack/api/v2/size_pb.js";
import { createFilesystemLayout, type FilesystemLayoutInput } from "../catalog/filesystem-layouts.js";
import { createImage, type ImageInput } from "../catalog/images.js";
import { createPartition } from "../catalog/partitions.js";
import { createSize, type SizeInput } from "../catalog/sizes.js";
import type { AppContext } from "../context.js";
import { type BaseNetworkInput, createBaseNetwork } from "../ipam/networks.js";

/** DEMO_PARTITION is the partition the dev environment seeds. */
export const DEMO_PARTITION = "fra-equ01";
/** DEMO_SIZES are the seeded machine sizes, smallest first. */
export const DEMO_SIZES = ["c1-small-x86", "c1-medium-x86", "c1-large-x86"] as const;
/** DEMO_IMAGES are the seeded global images; the firewall image has the firewall feature only. */
export const DEMO_IMAGES = {
  ubuntu: "ubuntu-24.04.20251120",
  ubuntuPrevious: "ubuntu-22.04.20250901",
  debian: "debian-12.20251101",
  firewall: "firewall-ubuntu-3.0.20251120",
} as const;
/** DEMO_NETWORKS are the seeded base networks. */
export const DEMO_NETWORKS = {
  internet: "internet",
  tenantSuper: `tenant-super-${DEMO_PARTITION}`,
  underlay: `underlay-${DEMO_PARTITION}`,
} as const;

const GiB = 1024n ** 3n;

function size(
  id: string,
  cores: number,
  memoryGiB: bigint,
  storageGiB: bigint,
  description: string,
): SizeInput {
  const c = (type: SizeConstraintType, min: bigint, max: bigint) =>
    create(SizeConstraintSchema, { type, min, max });
  return {
    id,
    name: id,
    description,
    labels: {},
    constraints: [
      c(SizeConstraintType.CORES, BigInt(cores), BigInt(cores)),
      c(SizeConstraintType.MEMORY, memoryGiB * GiB, memoryGiB * GiB * 2n),
      c(SizeConstraintType.STORAGE, storageGiB * GiB, storageGiB * GiB * 4n),
    ],
  };
}

const SIZES: SizeInput[] = [
  size(DEMO_SIZES[0], 4, 16n, 240n, "4 cores, 16 GiB memory, 240 GiB disk"),
  size(DEMO_SIZES[1], 16, 64n, 960n, "16 cores, 64 GiB memory, 960 GiB disk"),
  size(DEMO_SIZES[2], 64, 256n, 3840n, "64 cores, 256 GiB memory, 3.84 TB disk"),
];

function image(
  id: string,
  name: string,
  features: ImageFeature[],
  classification: ImageClassification,
): ImageInput {
  return {
    id,
    name,
    description: "",
    url: `https://images.metal.example/${id}/img.tar.lz4`,
    features,
    classification,
    labels: {},
  };
}

const IMAGES: ImageInput[] = [
  image(DEMO_IMAGES.ubuntu, "Ubuntu 24.04", [ImageFeature.MACHINE], ImageClassification.SUPPORTED),
  image(DEMO_IMAGES.ubuntuPrevious, "Ubuntu 22.04", [ImageFeature.MACHINE], ImageClassification.DEPRECATED),
  image(DEMO_IMAGES.debian, "Debian 12", [ImageFeature.MACHINE], ImageClassification.SUPPORTED),
  image(
    DEMO_IMAGES.firewall,
    "Firewall (Ubuntu based) 3.0",
    [ImageFeature.FIREWALL],
    ImageClassification.SUPPORTED,
  ),
];

const efiAndRoot = [
  create(DiskSchema, {
    device: "/dev/sda",
    partitions: [
      { number: 1, label: "efi", sizeMib: 512n, gptType: "ef00" },
      { number: 2, label: "root", sizeMib: 0n, gptType: "8300" },
    ],
  }),
];
const efiAndRootFs = [
  create(FilesystemSchema, {
    device: "/dev/sda1",
    format: FilesystemFormat.VFAT,
    path: "/boot/efi",
    label: "efi",
  }),
  create(FilesystemSchema, { device: "/dev/sda2", format: FilesystemFormat.EXT4, path: "/", label: "root" }),
  create(FilesystemSchema, {
    device: "tmpfs",
    format: FilesystemFormat.TMPFS,
    path: "/tmp",
    mountOptions: ["size=2g"],
  }),
];

const LAYOUTS: FilesystemLayoutInput[] = [
  {
    id: "default",
    name: "default",
    description: "EFI and one root file system on the first disk",
    filesystems: efiAndRootFs,
    disks: efiAndRoot,
    constraints: create(FilesystemLayoutConstraintsSchema, {
      sizes: ["c1-*"],
      images: { ubuntu: ">= 22.04", debian: ">= 12" },
    }),
    labels: {},
  },
  {
    id: "large-data",
    name: "large with data disk",
    description: "default plus an XFS data disk on /var/lib",
    filesystems: [
      ...efiAndRootFs,
      create(FilesystemSchema, {
        device: "/dev/sdb1",
        format: FilesystemFormat.XFS,
        path: "/var/lib",
        label: "data",
      }),
    ],
    disks: [
      ...efiAndRoot,
      create(DiskSchema, { device: "/dev/sdb", partitions: [{ number: 1, label: "data" }] }),
    ],
    constraints: create(FilesystemLayoutConstraintsSchema, {
      sizes: [DEMO_SIZES[2]],
      images: { ubuntu: "*", debian: "*" },
    }),
    labels: {},
  },
  {
    id: "firewall",
    name: "firewall",
    description: "EFI and root for firewalls",
    filesystems: efiAndRootFs,
    disks: efiAndRoot,
    constraints: create(FilesystemLayoutConstraintsSchema, {
      sizes: ["c1-*"],
      images: { "firewall-ubuntu": ">= 3.0" },
    }),
    labels: {},
  },
];

const NETWORKS: BaseNetworkInput[] = [
  {
    id: DEMO_NETWORKS.internet,
    type: NetworkType.EXTERNAL,
    partition: "",
    name: "internet",
    description: "public addresses, routed to the internet",
    prefixes: ["203.0.113.0/24", "2001:db8:113::/64"],
    destinationPrefixes: ["0.0.0.0/0", "::/0"],
    vrf: 104009,
    nat: true,
    labels: {},
  },
  {
    id: DEMO_NETWORKS.tenantSuper,
    type: NetworkType.SUPER,
    partition: DEMO_PARTITION,
    name: `tenant super network ${DEMO_PARTITION}`,
    description: "private address space that project networks are carved from",
    prefixes: ["10.128.0.0/14", "fd00:10::/48"],
    destinationPrefixes: [],
    defaultChildPrefixLength: { ipv4: 22, ipv6: 64 },
    vrf: 0,
    nat: false,
    labels: {},
  },
  {
    id: DEMO_NETWORKS.underlay,
    type: NetworkType.UNDERLAY,
    partition: DEMO_PARTITION,
    name: `underlay ${DEMO_PARTITION}`,
    description: "switch and machine loopbacks",
    prefixes: ["10.0.0.0/16"],
    destinationPrefixes: [],
    vrf: 0,
    nat: false,
    labels: {},
  },
];

/**
 * seedCatalog creates the demo partition, sizes, images, filesystem layouts and base networks that
 * are still missing; existing ones (also changed ones) are left alone, so it is safe on every start.
 */
export async function seedCatalog(ctx: AppContext): Promise<void> {
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const has = async (table: "partitions" | "sizes" | "networks", id: string) =>
      (await trx.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
    const hasGlobal = async (table: "images" | "filesystem_layouts", id: string) =>
      (await trx
        .selectFrom(table)
        .select("id")
        .where("project", "=", "")
        .where("id", "=", id)
        .executeTakeFirst()) !== undefined;
    if (!(await has("partitions", DEMO_PARTITION))) {
      await createPartition(
        trx,
        {
          id: DEMO_PARTITION,
          description: "demo partition (Frankfurt, Equinix FR1)",
          bootConfiguration: {
            imageUrl: "https://images.metal.example/metal-hammer/initrd.img.lz4",
            kernelUrl: "https://images.metal.example/metal-hammer/vmlinuz",
            commandline: "console=ttyS0",
          },
          labels: {},
        },
        now,
      );
    }
    for (const s of SIZES) if (!(await has("sizes", s.id))) await createSize(trx, s, now);
    for (const i of IMAGES) if (!(await hasGlobal("images", i.id))) await createImage(trx, "", i, now);
    for (const l of LAYOUTS) {
      if (!(await hasGlobal("filesystem_layouts", l.id))) await createFilesystemLayout(trx, "", l, now);
    }
    for (const n of NETWORKS) if (!(await has("networks", n.id))) await createBaseNetwork(trx, n, now);
  });
}
