import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import {
  type Meta,
  MetaSchema,
  type UpdateLabels,
  type UpdateMeta,
} from "../../gen/metalstack/api/v2/common_pb.js";
import { applyLabelUpdate } from "../labels.js";
import type { Database } from "../store/schema.js";
import { checkGeneration, lockForUpdate } from "../store/versioned-rows.js";
import { isUniqueViolation } from "../tenancy/trx.js";

/** Tx is where catalog and IPAM queries run: the database or, usually, an open transaction. */
export type Tx = Kysely<Database>;

/** StoredMeta are the bookkeeping columns every catalog and network row has. */
export interface StoredMeta {
  labels: string;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** metaOf turns a row's bookkeeping columns into the API's Meta. */
export function metaOf(row: StoredMeta): Meta {
  return create(MetaSchema, {
    generation: BigInt(row.generation),
    createdAt: timestampFromDate(new Date(row.created_at)),
    updatedAt: timestampFromDate(new Date(row.updated_at)),
    labels: JSON.parse(row.labels) as Record<string, string>,
  });
}

const ID = /^[a-z0-9]([a-z0-9.-]{0,126}[a-z0-9])?$/;

/** checkId refuses ids that are not lower-case DNS-like names, naming the field. */
export function checkId(id: string, field = "id"): string {
  if (!ID.test(id)) {
    throw new ConnectError(
      `${field}: "${id}" must be 1-128 lower-case letters, digits, '-' or '.', starting and ending alphanumeric`,
      Code.InvalidArgument,
    );
  }
  return id;
}

/** checkText refuses free-text fields that are too long. */
export function checkText(value: string, field: string, max = 1024): string {
  if (value.length > max) {
    throw new ConnectError(`${field}: longer than ${max} characters`, Code.InvalidArgument);
  }
  return value;
}

/** GlobalTable is a catalog table of admin-managed resources keyed by id alone. */
export type GlobalTable = "partitions" | "sizes";

/** ProjectTable is a catalog table of rows a project owns, keyed by project and id; global rows have project "". */
export type ProjectTable = "images" | "filesystem_layouts";

/** globalRow reads one row of a global catalog table; NotFound names it as `kind "id"`. */
export async function globalRow<T extends GlobalTable>(
  trx: Tx,
  table: T,
  kind: string,
  id: string,
): Promise<Database[T]> {
  // Kysely cannot type a query on a generic table name; it sees every global table instead.
  const t: GlobalTable = table;
  const row = await trx.selectFrom(t).selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new ConnectError(`${kind} "${id}" not found`, Code.NotFound);
  return row as Database[T];
}

/**
 * projectRow reads the row of a project-scoped catalog table that `project` sees under `id`: its
 * own, else the global one (project "" sees global rows only). Other projects' rows are NotFound,
 * named as `kind "id"`.
 */
export async function projectRow<T extends ProjectTable>(
  trx: Tx,
  table: T,
  kind: string,
  project: string,
  id: string,
): Promise<Database[T]> {
  const t: ProjectTable = table;
  const row = await trx
    .selectFrom(t)
    .selectAll()
    .where("id", "=", id)
    .where("project", "in", project ? [project, ""] : [""])
    .orderBy("project", "desc")
    .executeTakeFirst();
  if (!row) throw new ConnectError(`${kind} "${id}" not found`, Code.NotFound);
  return row as Database[T];
}

/**
 * ownProjectRow is projectRow for a change (`verb`, e.g. "delete") that only the row's owner may
 * make: a global row seen from a project is PermissionDenied, since only operators change those.
 */
export async function ownProjectRow<T extends ProjectTable>(
  trx: Tx,
  table: T,
  kind: string,
  project: string,
  id: string,
  verb: string,
): Promise<Database[T]> {
  const row = await projectRow(trx, table, kind, project, id);
  if (row.project !== project) {
    throw new ConnectError(`${kind} "${id}" is global; only operators can ${verb} it`, Code.PermissionDenied);
  }
  return row;
}

async function insertRow<T extends GlobalTable | ProjectTable>(
  trx: Tx,
  table: T,
  kind: string,
  row: Database[T],
): Promise<void> {
  const t: GlobalTable | ProjectTable = table;
  try {
    await trx.insertInto(t).values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConnectError(`${kind} "${row.id}" already exists`, Code.AlreadyExists);
    throw err;
  }
}

/** insertGlobalRow stores a new row of a global catalog table; AlreadyExists when its id is taken. */
export function insertGlobalRow<T extends GlobalTable>(
  trx: Tx,
  table: T,
  kind: string,
  row: Database[T],
): Promise<void> {
  return insertRow(trx, table, kind, row);
}

/** insertProjectRow stores a new row of a project-scoped catalog table; AlreadyExists when its project already has the id. */
export function insertProjectRow<T extends ProjectTable>(
  trx: Tx,
  table: T,
  kind: string,
  row: Database[T],
): Promise<void> {
  return insertRow(trx, table, kind, row);
}

/** RowUpdate is the optimistic-locking and label part of an update request. */
export interface RowUpdate {
  updateMeta?: UpdateMeta;
  labels?: UpdateLabels;
}

/**
 * nextRow checks `u`'s generation against the stored (locked) row before anything else and returns
 * the row with `changes`, the label update, the next generation and the update time applied.
 */
function nextRow<R extends StoredMeta>(
  what: string,
  row: R,
  u: RowUpdate,
  changes: (row: R) => Partial<R>,
  now: Date,
): R {
  checkGeneration(what, row.generation, u.updateMeta?.generation);
  return {
    ...row,
    ...changes(row),
    labels: applyLabelUpdate(row.labels, u.labels),
    generation: row.generation + 1,
    updated_at: now.toISOString(),
  };
}

/**
 * updateGlobalRow changes a row of a global catalog table under optimistic locking: `changes`
 * computes the new column values from the stored row; labels, generation and update time follow
 * from `u` and `now`. The row is locked first, so only a change since the generation `u` names fails
 * (FailedPrecondition); generation 0 always writes.
 */
export async function updateGlobalRow<T extends GlobalTable>(
  trx: Tx,
  table: T,
  kind: string,
  id: string,
  u: RowUpdate,
  changes: (row: Database[T]) => Partial<Database[T]>,
  now: Date,
): Promise<Database[T]> {
  await lockForUpdate(trx, table, { column: "id", value: id });
  const row = await globalRow(trx, table, kind, id);
  const next = nextRow(`${kind} "${id}"`, row, u, changes, now);
  const t: GlobalTable = table;
  await trx.updateTable(t).set(next).where("id", "=", id).execute();
  return next;
}

/**
 * updateProjectRow is updateGlobalRow for a row of a project-scoped catalog table that `project`
 * owns ("" for a global row, operators); a global row seen from a project is PermissionDenied.
 */
export async function updateProjectRow<T extends ProjectTable>(
  trx: Tx,
  table: T,
  kind: string,
  project: string,
  id: string,
  u: RowUpdate,
  changes: (row: Database[T]) => Partial<Database[T]>,
  now: Date,
): Promise<Database[T]> {
  await lockForUpdate(trx, table, { column: "id", value: id });
  const row = await ownProjectRow(trx, table, kind, project, id, "change");
  const next = nextRow(`${kind} "${id}"`, row, u, changes, now);
  const t: ProjectTable = table;
  await trx.updateTable(t).set(next).where("project", "=", project).where("id", "=", id).execute();
  return next;
}

/** firstReferrer finds one row of `table` whose `column` names `id`, to refuse deleting what is in use. */
export function firstReferrer(
  trx: Tx,
  table: "networks" | "machines",
  column: "partition" | "size",
  id: string,
): Promise<{ id: string } | undefined> {
  return trx.selectFrom(table).select("id").where(column, "=", id).limit(1).executeTakeFirst();
}
