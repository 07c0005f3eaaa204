import { FilesystemService } from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { FirewallService } from "../../gen/metalstack/api/v2/firewall_pb.js";
import { ImageService } from "../../gen/metalstack/api/v2/image_pb.js";
import { IPService } from "../../gen/metalstack/api/v2/ip_pb.js";
import { MachineService } from "../../gen/metalstack/api/v2/machine_pb.js";
import { MethodService } from "../../gen/metalstack/api/v2/method_pb.js";
import { NetworkService } from "../../gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../gen/metalstack/api/v2/partition_pb.js";
import { ProjectService } from "../../gen/metalstack/api/v2/project_pb.js";
import { SizeService } from "../../gen/metalstack/api/v2/size_pb.js";
import { TenantService } from "../../gen/metalstack/api/v2/tenant_pb.js";
import type { TargetFlags } from "../config/target.js";
import { createDeps } from "../deps.js";
import type { CacheKind, Candidate } from "./cache.js";

/**
 * fetchCandidates asks the API for one kind of completion values with the user's credentials; it
 * is loaded only on a cache miss, so a warm TAB never pays for the clients.
 */
export async function fetchCandidates(
  kind: CacheKind,
  target: TargetFlags,
  env: NodeJS.ProcessEnv,
): Promise<Candidate[]> {
  const deps = createDeps({ flags: { ...target, timeout: "3s" }, env, userAgent: "metalctl-completion" });
  const project = deps.target().project ?? "";
  switch (kind) {
    case "machine":
      return (await deps.client(MachineService).list({ project })).machines.map((m) => ({
        value: m.uuid,
        description: m.allocation?.name ?? "",
      }));
    case "firewall":
      return (await deps.client(FirewallService).list({ project })).firewalls.map((f) => ({
        value: f.machine?.uuid ?? "",
        description: f.machine?.allocation?.name ?? "",
      }));
    case "network":
      return (await deps.client(NetworkService).list({ project })).networks.map((n) => ({
        value: n.id,
        description: n.name,
      }));
    case "ip":
      return (await deps.client(IPService).list({ project })).ips.map((i) => ({
        value: i.id,
        description: `${i.ip} ${i.name}`.trim(),
      }));
    case "image":
      return (await deps.client(ImageService).list({ project })).images.map((i) => ({
        value: i.id,
        description: i.name,
      }));
    case "filesystem":
      return (await deps.client(FilesystemService).list({ project })).filesystemLayouts.map((f) => ({
        value: f.id,
        description: f.name,
      }));
    case "partition":
      return (await deps.client(PartitionService).list({})).partitions.map((p) => ({
        value: p.id,
        description: p.description,
      }));
    case "size":
      return (await deps.client(SizeService).list({})).sizes.map((s) => ({
        value: s.id,
        description: s.name,
      }));
    case "project":
      return (await deps.client(ProjectService).list({})).projects.map((p) => ({
        value: p.id,
        description: p.name,
      }));
    case "tenant":
      return (await deps.client(TenantService).list({})).tenants.map((t) => ({
        value: t.id,
        description: t.name,
      }));
    case "method":
      return (await deps.client(MethodService).list({})).methods.map((m) => ({
        value: m.method.replace(/^\//, ""),
      }));
  }
}
