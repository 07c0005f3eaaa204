import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UpdateLabels, UpdateMeta } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Partition,
  type PartitionBootConfiguration,
  PartitionSchema,
} from "../../gen/metalstack/api/v2/partition_pb.js";
import { checkLabels } from "../labels.js";
import type { PartitionRow } from "../store/catalog-schema.js";
import {
  checkId,
  checkText,
  firstReferrer,
  globalRow,
  insertGlobalRow,
  metaOf,
  type Tx,
  updateGlobalRow,
} from "./resource-meta.js";

/** partitionOf turns a stored partition into the API message. */
function partitionOf(row: PartitionRow): Partition {
  return create(PartitionSchema, {
    id: row.id,
    description: row.description,
    meta: metaOf(row),
    bootConfiguration: {
      imageUrl: row.boot_image_url,
      kernelUrl: row.boot_kernel_url,
      commandline: row.boot_commandline,
    },
  });
}

function partitionRow(trx: Tx, id: string): Promise<PartitionRow> {
  return globalRow(trx, "partitions", "partition", id);
}

/** getPartition returns a partition by id; NotFound when it does not exist. */
export async function getPartition(trx: Tx, id: string): Promise<Partition> {
  return partitionOf(await partitionRow(trx, id));
}

/** listPartitions returns all partitions ordered by id. */
export async function listPartitions(trx: Tx): Promise<Partition[]> {
  const rows = await trx.selectFrom("partitions").selectAll().orderBy("id").execute();
  return rows.map(partitionOf);
}

/** BootConfiguration is the plain shape of PartitionBootConfiguration; the message fits too. */
export type BootConfiguration = Pick<PartitionBootConfiguration, "imageUrl" | "kernelUrl" | "commandline">;

/** PartitionInput describes a new partition. */
export interface PartitionInput {
  id: string;
  description: string;
  bootConfiguration?: BootConfiguration;
  labels: Record<string, string>;
}

/** createPartition adds a partition; AlreadyExists when the id is taken. */
export async function createPartition(trx: Tx, input: PartitionInput, now = new Date()): Promise<Partition> {
  const ts = now.toISOString();
  const row: PartitionRow = {
    id: checkId(input.id),
    description: checkText(input.description, "description"),
    boot_image_url: checkText(input.bootConfiguration?.imageUrl ?? "", "boot_configuration.image_url"),
    boot_kernel_url: checkText(input.bootConfiguration?.kernelUrl ?? "", "boot_configuration.kernel_url"),
    boot_commandline: checkText(input.bootConfiguration?.commandline ?? "", "boot_configuration.commandline"),
    labels: JSON.stringify(checkLabels(input.labels)),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  await insertGlobalRow(trx, "partitions", "partition", row);
  return partitionOf(row);
}

/** PartitionUpdate lists the changes to a partition; unset fields stay. */
export interface PartitionUpdate {
  updateMeta?: UpdateMeta;
  description?: string;
  bootConfiguration?: BootConfiguration;
  labels?: UpdateLabels;
}

/** updatePartition changes a partition under optimistic locking. */
export async function updatePartition(
  trx: Tx,
  id: string,
  u: PartitionUpdate,
  now = new Date(),
): Promise<Partition> {
  const next = await updateGlobalRow(
    trx,
    "partitions",
    "partition",
    id,
    u,
    (row) => ({
      description: u.description !== undefined ? checkText(u.description, "description") : row.description,
      boot_image_url: u.bootConfiguration
        ? checkText(u.bootConfiguration.imageUrl, "boot_configuration.image_url")
        : row.boot_image_url,
      boot_kernel_url: u.bootConfiguration
        ? checkText(u.bootConfiguration.kernelUrl, "boot_configuration.kernel_url")
        : row.boot_kernel_url,
      boot_commandline: u.bootConfiguration
        ? checkText(u.bootConfiguration.commandline, "boot_configuration.commandline")
        : row.boot_commandline,
    }),
    now,
  );
  return partitionOf(next);
}

/** deletePartition removes a partition that no network and no machine refers to. */
export async function deletePartition(trx: Tx, id: string): Promise<Partition> {
  const row = await partitionRow(trx, id);
  const network = await firstReferrer(trx, "networks", "partition", id);
  if (network) {
    throw new ConnectError(
      `partition "${id}" still has networks (e.g. "${network.id}"); delete them first`,
      Code.FailedPrecondition,
    );
  }
  if (await firstReferrer(trx, "machines", "partition", id)) {
    throw new ConnectError(
      `partition "${id}" still has machines; remove them first`,
      Code.FailedPrecondition,
    );
  }
  await trx.deleteFrom("partitions").where("id", "=", id).execute();
  return partitionOf(row);
}
