import { Code, ConnectError } from "@connectrpc/connect";
import { IPType } from "../../gen/metalstack/api/v2/ip_pb.js";
import type { MachineAllocationNetwork } from "../../gen/metalstack/api/v2/machine_pb.js";
import { NetworkType } from "../../gen/metalstack/api/v2/network_pb.js";
import type { AppContext } from "../context.js";
import { allocateIp, attachIp, getIpForProject, releaseEphemeralIpsOfMachine } from "../ipam/ips.js";
import { networkRowForProject } from "../ipam/networks.js";
import type { Executor } from "../tenancy/trx.js";

/** NetworkPlan is a checked list of networks for a new allocation and the static IPs to attach. */
export interface NetworkPlan {
  networks: { id: string; autoAcquire: boolean; staticIps: string[] }[];
}

/**
 * planAllocationNetworks checks the requested networks and IPs before anything is allocated:
 * exactly one child network of the project in the partition, optional external networks, and
 * project IPs that lie in one of them and are not in use. Networks and IPs the project cannot
 * see are NotFound, exactly as if they did not exist.
 */
export async function planAllocationNetworks(
  ctx: AppContext,
  project: string,
  partition: string,
  requested: MachineAllocationNetwork[],
  ips: string[],
): Promise<NetworkPlan> {
  const db = ctx.db.kysely;
  if (requested.length === 0) {
    throw new ConnectError(
      "networks: name exactly one child network of the project (plus optional external networks such as internet)",
      Code.InvalidArgument,
    );
  }
  const plan: NetworkPlan = { networks: [] };
  let children = 0;
  for (const [i, n] of requested.entries()) {
    if (!n.network) throw new ConnectError(`networks[${i}].network: name the network`, Code.InvalidArgument);
    if (plan.networks.some((p) => p.id === n.network)) {
      throw new ConnectError(`networks[${i}]: network "${n.network}" is named twice`, Code.InvalidArgument);
    }
    const row = await networkRowForProject(db, project, n.network);
    if (row.type === NetworkType.SUPER) {
      throw new ConnectError(
        `networks[${i}]: "${row.id}" is a super network; allocate a child network from it and use that`,
        Code.InvalidArgument,
      );
    }
    if (row.type === NetworkType.CHILD) {
      children++;
      if (row.partition !== partition) {
        throw new ConnectError(
          `networks[${i}]: child network "${row.id}" is in partition ${row.partition}, not ${partition}`,
          Code.InvalidArgument,
        );
      }
    }
    plan.networks.push({ id: row.id, autoAcquire: !n.noAutoAcquireIp, staticIps: [] });
  }
  if (children !== 1) {
    throw new ConnectError(
      `networks: exactly one child network of the project is required, got ${children}`,
      Code.InvalidArgument,
    );
  }
  for (const [i, address] of ips.entries()) {
    const ip = await getIpForProject(db, project, address, `ips[${i}]`);
    const target = plan.networks.find((p) => p.id === ip.network);
    if (!target) {
      throw new ConnectError(
        `ips[${i}]: ${ip.ip} belongs to network "${ip.network}", which is not among the machine's networks`,
        Code.InvalidArgument,
      );
    }
    if (ip.machineId) {
      throw new ConnectError(
        `ips[${i}]: ${ip.ip} is already used by another machine`,
        Code.FailedPrecondition,
      );
    }
    target.staticIps.push(ip.id);
  }
  return plan;
}

/**
 * acquireMachineIps attaches the planned static IPs and takes one ephemeral IP from every network
 * that got no static IP (unless auto-acquire is off), inside the allocating transaction.
 */
export async function acquireMachineIps(
  ctx: AppContext,
  trx: Executor,
  plan: NetworkPlan,
  machineId: string,
  project: string,
): Promise<{ network: string; ips: string[] }[]> {
  const now = ctx.now();
  const result: { network: string; ips: string[] }[] = [];
  for (const n of plan.networks) {
    const ips: string[] = [];
    for (const id of n.staticIps) ips.push((await attachIp(trx, { project, id, machineId, now })).ip);
    if (ips.length === 0 && n.autoAcquire) {
      const ip = await allocateIp(trx, {
        project,
        networkId: n.id,
        type: IPType.IP_TYPE_EPHEMERAL,
        machineId,
        description: `ephemeral IP of machine ${machineId}`,
        now,
      });
      ips.push(ip.ip);
    }
    result.push({ network: n.id, ips });
  }
  return result;
}

/** releaseMachineIps frees a machine's ephemeral IPs and detaches its static ones. */
export async function releaseMachineIps(trx: Executor, machineId: string): Promise<void> {
  await releaseEphemeralIpsOfMachine(trx, machineId);
}
