/** PartitionRow is a failure domain; global, managed by operators. */
export interface PartitionRow {
  id: string;
  description: string;
  boot_image_url: string;
  boot_kernel_url: string;
  boot_commandline: string;
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** SizeRow is a machine size; `constraints` is JSON of metalstack.api.v2.SizeConstraint[]. */
export interface SizeRow {
  id: string;
  name: string;
  description: string;
  constraints: string;
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** ImageRow is an OS image; `project` is "" for a global image, the key is (project, id). */
export interface ImageRow {
  project: string;
  id: string;
  name: string;
  description: string;
  url: string;
  os: string;
  version: string;
  /** ImageFeature enum values as ",1,2," so one feature is found with LIKE "%,n,%". */
  features: string;
  /** metalstack.api.v2.ImageClassification enum value. */
  classification: number;
  expires_at: string | null;
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** FilesystemLayoutRow is a disk layout; `project` is "" for a global layout, the key is (project, id). */
export interface FilesystemLayoutRow {
  project: string;
  id: string;
  name: string;
  description: string;
  /** JSON (proto JSON mapping) of metalstack.api.v2.Filesystem[]. */
  filesystems: string;
  /** JSON (proto JSON mapping) of metalstack.api.v2.Disk[]. */
  disks: string;
  /** JSON (proto JSON mapping) of metalstack.api.v2.FilesystemLayoutConstraints. */
  constraints: string;
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** CatalogTables are the global building blocks: partitions, sizes, images and filesystem layouts. */
export interface CatalogTables {
  partitions: PartitionRow;
  sizes: SizeRow;
  images: ImageRow;
  filesystem_layouts: FilesystemLayoutRow;
}
