import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import {
  type Size,
  SizeConstraintSchema,
  SizeConstraintType,
  SizeSchema,
} from "../../gen/metalstack/api/v2/size_pb.js";
import { checkId } from "../catalog/resource-meta.js";
import { listSizes } from "../catalog/sizes.js";
import type { Database } from "../store/schema.js";
import { getMachine } from "./machine-queries.js";
import { machineToProto } from "./machine-view.js";
import { hardwareFitsSize, hardwareTotals } from "./size-fit.js";

const GiB = 1024n ** 3n;

/** SizeSuggestion is a size matching one machine and the existing sizes that machine already fits. */
export interface SizeSuggestion {
  size: Size;
  fittingSizes: string[];
}

/**
 * suggestSize proposes a size for the machine's hardware: cores, memory and total storage each
 * constrained to exactly the reported value (an operator widens them for a class of machines), with
 * `id` or one derived from the hardware (c8-m32g-s960g). NotFound for an unknown machine,
 * FailedPrecondition when it reported no hardware.
 */
export async function suggestSize(
  db: Kysely<Database>,
  machineId: string,
  id: string,
  now: Date,
): Promise<SizeSuggestion> {
  if (!machineId)
    throw new ConnectError("machine: name the machine to suggest a size for", Code.InvalidArgument);
  if (id) checkId(id);
  const machine = machineToProto(await getMachine(db, machineId), [], now);
  const hw = machine.hardware;
  if (!hw || hw.cpuCores === 0 || hw.memory === 0n) {
    throw new ConnectError(
      `machine ${machine.uuid} reported no CPU cores or memory; wait until its agent registered the hardware`,
      Code.FailedPrecondition,
    );
  }
  const t = hardwareTotals(hw);
  const exactly = (type: SizeConstraintType, value: bigint) =>
    create(SizeConstraintSchema, { type, min: value, max: value });
  const derived = `c${t.cores}-m${t.memory / GiB}g-s${t.storage / GiB}g`;
  const size = create(SizeSchema, {
    id: id || derived,
    name: id || derived,
    description: `${t.cores} cores, ${gib(t.memory)} memory, ${gib(t.storage)} storage (from machine ${machine.uuid})`,
    constraints: [
      exactly(SizeConstraintType.CORES, t.cores),
      exactly(SizeConstraintType.MEMORY, t.memory),
      exactly(SizeConstraintType.STORAGE, t.storage),
    ],
  });
  const fittingSizes = (await listSizes(db)).filter((s) => hardwareFitsSize(hw, s)).map((s) => s.id);
  return { size, fittingSizes };
}

function gib(bytes: bigint): string {
  const whole = bytes / GiB;
  return bytes % GiB === 0n ? `${whole} GiB` : `${(Number(bytes) / Number(GiB)).toFixed(1)} GiB`;
}
