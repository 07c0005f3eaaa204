/** IP address management: networks, child prefixes and IPs, all taking a Kysely transaction. */
export {
  type AllocateIpInput,
  allocateIp,
  attachIp,
  getIpForProject,
  releaseEphemeralIpsOfMachine,
  releaseIp,
} from "./ips.js";
export { allocateChildNetwork, getNetworkForProject } from "./networks.js";
