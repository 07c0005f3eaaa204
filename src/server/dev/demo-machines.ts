import { createHash, randomBytes } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { MachineHardwareSchema } from "../../gen/metalstack/api/v2/machine_pb.js";
import { type Size, SizeConstraintType } from "../../gen/metalstack/api/v2/size_pb.js";
import type { SimulatedMachine } from "./simulator.js";

const GiB = 1024n ** 3n;

/** stableUuid derives a UUID from a name, so the demo pool keeps its ids across restarts. */
export function stableUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function least(size: Pick<Size, "constraints">, type: SizeConstraintType, fallback: bigint): bigint {
  const c = size.constraints.find((x) => x.type === type);
  return c ? (c.min > 0n ? c.min : c.max) : fallback;
}

/**
 * demoMachines lays out `count` simulated machines of one partition round-robin over the racks and
 * sizes, with hardware that meets each size's minimum constraints. Ids derive from `idSeed`
 * (default: the partition), so the same call yields the same machines.
 */
export function demoMachines(
  partition: string,
  sizes: Pick<Size, "id" | "constraints">[],
  racks: string[],
  count: number,
  idSeed = partition,
): SimulatedMachine[] {
  const machines: SimulatedMachine[] = [];
  for (let i = 0; i < count; i++) {
    const size = sizes[i % sizes.length]!;
    const rack = racks[i % racks.length]!;
    const cores = Number(least(size, SizeConstraintType.CORES, 8n));
    const memory = least(size, SizeConstraintType.MEMORY, 32n * GiB);
    const storage = least(size, SizeConstraintType.STORAGE, 480n * GiB);
    const mac = (n: number) =>
      `52:54:00:${[i >> 8, i & 0xff, n].map((b) => b.toString(16).padStart(2, "0")).join(":")}`;
    machines.push({
      uuid: stableUuid(`${idSeed}/machine-${i}`),
      partition,
      size: size.id,
      rack,
      hardware: create(MachineHardwareSchema, {
        cpuCores: cores,
        memory,
        disks: [{ name: "/dev/sda", size: storage }],
        nics: [
          { name: "lan0", mac: mac(0) },
          { name: "lan1", mac: mac(1) },
        ],
      }),
      bmc: {
        address: `10.255.${i >> 8}.${(i & 0xff) + 10}:623`,
        user: "admin",
        password: randomBytes(12).toString("base64url"),
      },
    });
  }
  return machines;
}
