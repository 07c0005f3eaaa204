import { create } from "@bufbuild/protobuf";
import { Flags } from "@oclif/core";
import {
  type MachineQuery,
  MachineQuerySchema,
  MachineStateSchema,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { completeFrom } from "../completion/source.js";
import { enumKeys, parseEnum, parseLabels } from "./common.js";

/**
 * machineFilterFlags are the filters of `machine list`, `firewall list` and `admin machine list`;
 * the server evaluates them (see machineQuery).
 */
export const machineFilterFlags = {
  id: Flags.string({ summary: "Only the machine with this ID." }),
  name: Flags.string({ summary: "Only machines with this name." }),
  hostname: Flags.string({ summary: "Only machines with this hostname." }),
  partition: Flags.string({
    summary: "Only machines in this partition.",
    ...completeFrom({ kind: "partition", scope: "server" }),
  }),
  size: Flags.string({
    summary: "Only machines of this size.",
    ...completeFrom({ kind: "size", scope: "server" }),
  }),
  image: Flags.string({
    summary: "Only machines with this image.",
    ...completeFrom({ kind: "image", scope: "project" }),
  }),
  network: Flags.string({ summary: "Only machines allocated into this network." }),
  ip: Flags.string({ summary: "Only the machine holding this IP address." }),
  mac: Flags.string({ summary: "Only the machine with a network interface of this MAC address." }),
  rack: Flags.string({ summary: "Only machines in this rack." }),
  state: Flags.string({ summary: "Only machines in this state.", options: enumKeys(MachineStateSchema) }),
  label: Flags.string({
    summary: "Only machines with this label key=value (repeatable; all must match).",
    multiple: true,
    aliases: ["labels"],
  }),
};

/**
 * machineFilterRefs are the machine filters that name a global item, looked up by name or ID prefix;
 * each resource's module loads only when its filter is given.
 */
export const machineFilterRefs = {
  partition: () => import("./partition.js").then((m) => m.partition),
  size: () => import("./size.js").then((m) => m.size),
  image: () => import("./image.js").then((m) => m.image),
};

/** networkRef is the network filter's resource (machine and firewall lists), loaded when the filter is given. */
export const networkRef = () => import("./network.js").then((m) => m.network);

/** MachineFilterInput are the parsed machine filter flags. */
export interface MachineFilterInput {
  id?: string | undefined;
  name?: string | undefined;
  hostname?: string | undefined;
  partition?: string | undefined;
  size?: string | undefined;
  image?: string | undefined;
  network?: string | undefined;
  ip?: string | undefined;
  mac?: string | undefined;
  rack?: string | undefined;
  state?: string | undefined;
  label?: string[] | undefined;
}

/** machineQuery builds the server-side machine query from the filter flags (pure). */
export function machineQuery(input: MachineFilterInput): MachineQuery {
  return create(MachineQuerySchema, {
    uuid: input.id ?? "",
    name: input.name ?? "",
    hostname: input.hostname ?? "",
    partition: input.partition ?? "",
    size: input.size ?? "",
    image: input.image ?? "",
    network: input.network ?? "",
    ip: input.ip ?? "",
    mac: input.mac ?? "",
    rack: input.rack ?? "",
    state: input.state ? parseEnum(MachineStateSchema, input.state, "--state") : 0,
    labels: parseLabels(input.label, "--label"),
  });
}
