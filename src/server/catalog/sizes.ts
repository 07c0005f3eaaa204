import { create, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { UpdateLabels, UpdateMeta } from "../../gen/metalstack/api/v2/common_pb.js";
import {
  type Size,
  type SizeConstraint,
  SizeConstraintSchema,
  SizeConstraintType,
  SizeSchema,
} from "../../gen/metalstack/api/v2/size_pb.js";
import { checkLabels } from "../labels.js";
import type { SizeRow } from "../store/catalog-schema.js";
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

/** sizeOf turns a stored size into the API message. */
export function sizeOf(row: SizeRow): Size {
  return create(SizeSchema, {
    id: row.id,
    name: row.name,
    description: row.description,
    meta: metaOf(row),
    constraints: (JSON.parse(row.constraints) as JsonValue[]).map((c) => fromJson(SizeConstraintSchema, c)),
  });
}

function constraintsJson(constraints: SizeConstraint[]): string {
  if (constraints.length === 0) {
    throw new ConnectError(
      "constraints: at least one is required (e.g. cores and memory)",
      Code.InvalidArgument,
    );
  }
  const seen = new Set<string>();
  for (const [i, c] of constraints.entries()) {
    if (!(c.type in SizeConstraintType) || c.type === SizeConstraintType.UNSPECIFIED) {
      throw new ConnectError(
        `constraints[${i}].type: must be cores, memory, storage or gpu`,
        Code.InvalidArgument,
      );
    }
    if (c.min > c.max) {
      throw new ConnectError(
        `constraints[${i}]: min ${c.min} is greater than max ${c.max}`,
        Code.InvalidArgument,
      );
    }
    const key = `${c.type}/${c.identifier}`;
    if (seen.has(key)) {
      throw new ConnectError(
        `constraints[${i}]: the same type and identifier appear twice`,
        Code.InvalidArgument,
      );
    }
    seen.add(key);
  }
  return JSON.stringify(constraints.map((c) => toJson(SizeConstraintSchema, c)));
}

function sizeRow(trx: Tx, id: string): Promise<SizeRow> {
  return globalRow(trx, "sizes", "size", id);
}

/** getSize returns a size by id; NotFound when it does not exist. */
export async function getSize(trx: Tx, id: string): Promise<Size> {
  return sizeOf(await sizeRow(trx, id));
}

/** listSizes returns all sizes ordered by id. */
export async function listSizes(trx: Tx): Promise<Size[]> {
  const rows = await trx.selectFrom("sizes").selectAll().orderBy("id").execute();
  return rows.map(sizeOf);
}

/** SizeInput describes a new size. */
export interface SizeInput {
  id: string;
  name: string;
  description: string;
  constraints: SizeConstraint[];
  labels: Record<string, string>;
}

/** createSize adds a size; AlreadyExists when the id is taken. */
export async function createSize(trx: Tx, input: SizeInput, now = new Date()): Promise<Size> {
  const ts = now.toISOString();
  const row: SizeRow = {
    id: checkId(input.id),
    name: checkText(input.name, "name", 128),
    description: checkText(input.description, "description"),
    constraints: constraintsJson(input.constraints),
    labels: JSON.stringify(checkLabels(input.labels)),
    generation: 1,
    created_at: ts,
    updated_at: ts,
  };
  await insertGlobalRow(trx, "sizes", "size", row);
  return sizeOf(row);
}

/** SizeUpdate lists the changes to a size; unset fields (and empty constraints) stay. */
export interface SizeUpdate {
  updateMeta?: UpdateMeta;
  name?: string;
  description?: string;
  constraints?: SizeConstraint[];
  labels?: UpdateLabels;
}

/** updateSize changes a size under optimistic locking. */
export async function updateSize(trx: Tx, id: string, u: SizeUpdate, now = new Date()): Promise<Size> {
  const next = await updateGlobalRow(
    trx,
    "sizes",
    "size",
    id,
    u,
    (row) => ({
      name: u.name !== undefined ? checkText(u.name, "name", 128) : row.name,
      description: u.description !== undefined ? checkText(u.description, "description") : row.description,
      constraints:
        u.constraints && u.constraints.length > 0 ? constraintsJson(u.constraints) : row.constraints,
    }),
    now,
  );
  return sizeOf(next);
}

/** deleteSize removes a size that no machine has. */
export async function deleteSize(trx: Tx, id: string): Promise<Size> {
  const row = await sizeRow(trx, id);
  if (await firstReferrer(trx, "machines", "size", id)) {
    throw new ConnectError(
      `size "${id}" is still used by machines; remove them first`,
      Code.FailedPrecondition,
    );
  }
  await trx.deleteFrom("sizes").where("id", "=", id).execute();
  return sizeOf(row);
}
