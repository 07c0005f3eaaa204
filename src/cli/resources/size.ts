import {
  type Size,
  type SizeConstraint,
  SizeConstraintType,
  SizeSchema,
  SizeService,
} from "../../gen/metalstack/api/v2/size_pb.js";
import { protoView, showLabels } from "./common.js";
import { completionOf, type Gets, type Lists, type Ref } from "./resource.js";

/** sizeView shows machine sizes with their CPU, memory and storage constraints. */
export const sizeView = protoView(SizeSchema, [
  { header: "ID", value: (s: Size) => s.id },
  { header: "Name", value: (s: Size) => s.name },
  { header: "CPU", value: (s: Size) => range(s, SizeConstraintType.CORES, String) },
  { header: "Memory", value: (s: Size) => range(s, SizeConstraintType.MEMORY, bytes) },
  { header: "Storage", value: (s: Size) => range(s, SizeConstraintType.STORAGE, bytes) },
  { header: "Description", value: (s: Size) => s.description, wide: true },
  { header: "GPU", value: (s: Size) => gpus(s), wide: true },
  { header: "Labels", value: (s: Size) => showLabels(s.meta?.labels), wide: true },
]);

function range(s: Size, type: SizeConstraintType, fmt: (n: bigint) => string): string {
  const c = s.constraints.find((x: SizeConstraint) => x.type === type);
  if (!c) return "";
  return c.min === c.max ? fmt(c.min) : `${fmt(c.min)} - ${fmt(c.max)}`;
}

function gpus(s: Size): string {
  return s.constraints
    .filter((c) => c.type === SizeConstraintType.GPU)
    .map((c) => `${c.identifier}×${c.min}`)
    .join(",");
}

/** bytes formats a byte count with binary units (1 GiB = 1024³ bytes). */
export function bytes(n: bigint): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = Number(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** size is the machine sizes of the API server, named by ID. */
export const size: Lists<Size> & Gets<Size> & { ref: Ref<Size> } = {
  scope: "server",
  noun: "size",
  view: sizeView,
  ref: {
    kind: "size",
    scope: "server",
    arg: "id",
    description: "ID.",
    candidate: (s) => ({ value: s.id, description: s.name || s.description }),
    names: (s) => [s.name],
  },
  list: async (deps) => (await deps.client(SizeService).list({})).sizes,
  get: async (deps, _project, id) => (await deps.client(SizeService).get({ id })).size!,
};

/** completion offers the size IDs. */
export const completion = completionOf(size);
