import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { AuditService as AdminAuditService } from "../../gen/metalstack/admin/v2/audit_pb.js";
import { ConnectorService as AdminConnectorService } from "../../gen/metalstack/admin/v2/connector_pb.js";
import { FilesystemService as AdminFilesystemService } from "../../gen/metalstack/admin/v2/filesystem_pb.js";
import { ImageService as AdminImageService } from "../../gen/metalstack/admin/v2/image_pb.js";
import { IPService as AdminIPService } from "../../gen/metalstack/admin/v2/ip_pb.js";
import { MachineService as AdminMachineService } from "../../gen/metalstack/admin/v2/machine_pb.js";
import { NetworkService as AdminNetworkService } from "../../gen/metalstack/admin/v2/network_pb.js";
import { OidcClientService as AdminOidcClientService } from "../../gen/metalstack/admin/v2/oidc_client_pb.js";
import { PartitionService as AdminPartitionService } from "../../gen/metalstack/admin/v2/partition_pb.js";
import { ProjectService as AdminProjectService } from "../../gen/metalstack/admin/v2/project_pb.js";
import { SizeService as AdminSizeService } from "../../gen/metalstack/admin/v2/size_pb.js";
import { TenantService as AdminTenantService } from "../../gen/metalstack/admin/v2/tenant_pb.js";
import { TokenService as AdminTokenService } from "../../gen/metalstack/admin/v2/token_pb.js";
import { UserService as AdminUserService } from "../../gen/metalstack/admin/v2/user_pb.js";
import { AuditService } from "../../gen/metalstack/api/v2/audit_pb.js";
import { FilesystemService } from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { FirewallService } from "../../gen/metalstack/api/v2/firewall_pb.js";
import { HealthService } from "../../gen/metalstack/api/v2/health_pb.js";
import { ImageService } from "../../gen/metalstack/api/v2/image_pb.js";
import { IPService } from "../../gen/metalstack/api/v2/ip_pb.js";
import { MachineService } from "../../gen/metalstack/api/v2/machine_pb.js";
import { MethodService } from "../../gen/metalstack/api/v2/method_pb.js";
import { NetworkService } from "../../gen/metalstack/api/v2/network_pb.js";
import { PartitionService } from "../../gen/metalstack/api/v2/partition_pb.js";
import { ProjectService } from "../../gen/metalstack/api/v2/project_pb.js";
import { SizeService } from "../../gen/metalstack/api/v2/size_pb.js";
import { TenantService } from "../../gen/metalstack/api/v2/tenant_pb.js";
import { TokenService } from "../../gen/metalstack/api/v2/token_pb.js";
import { UserService } from "../../gen/metalstack/api/v2/user_pb.js";
import { VersionService } from "../../gen/metalstack/api/v2/version_pb.js";
import { AgentService } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import { adminAuditService } from "./admin/audit/index.js";
import { adminConnectorService } from "./admin/connector/index.js";
import { adminFilesystemService } from "./admin/filesystem/index.js";
import { adminImageService } from "./admin/image/index.js";
import { adminIpService } from "./admin/ip/index.js";
import { adminMachineService } from "./admin/machine/index.js";
import { adminNetworkService } from "./admin/network/index.js";
import { adminOidcClientService } from "./admin/oidc-client/index.js";
import { adminPartitionService } from "./admin/partition/index.js";
import { adminProjectService } from "./admin/project/index.js";
import { adminSizeService } from "./admin/size/index.js";
import { adminTenantService } from "./admin/tenant/index.js";
import { adminTokenService } from "./admin/token/index.js";
import { adminUserService } from "./admin/user/index.js";
import { auditService } from "./audit/index.js";
import { filesystemService } from "./filesystem/index.js";
import { firewallService } from "./firewall/index.js";
import { healthService } from "./health/index.js";
import { imageService } from "./image/index.js";
import { agentService } from "./infra/index.js";
import { ipService } from "./ip/index.js";
import { machineService } from "./machine/index.js";
import { methodService } from "./method/index.js";
import { networkService } from "./network/index.js";
import { partitionService } from "./partition/index.js";
import { projectService } from "./project/index.js";
import { reflectionService } from "./reflection/index.js";
import { sizeService } from "./size/index.js";
import { tenantService } from "./tenant/index.js";
import { tokenService } from "./token/index.js";
import { userService } from "./user/index.js";
import { versionService } from "./version/index.js";

/** ServedService is one service of the API: its descriptor and how to build its implementation. */
interface ServedService {
  descriptor: DescService;
  register(router: ConnectRouter, ctx: AppContext): void;
}

function served<S extends DescService>(
  descriptor: S,
  implementation: (ctx: AppContext) => Partial<ServiceImpl<S>>,
): ServedService {
  return { descriptor, register: (router, ctx) => router.service(descriptor, implementation(ctx)) };
}

/**
 * servedServices is every service the server serves, one line each. Authorization is not done here
 * but by the interceptors, from the proto annotations of these descriptors.
 */
const servedServices: readonly ServedService[] = [
  served(HealthService, healthService),
  served(VersionService, versionService),
  served(PartitionService, partitionService),
  served(SizeService, sizeService),
  served(ImageService, imageService),
  served(FilesystemService, filesystemService),
  served(NetworkService, networkService),
  served(IPService, ipService),
  served(AdminPartitionService, adminPartitionService),
  served(AdminSizeService, adminSizeService),
  served(AdminImageService, adminImageService),
  served(AdminFilesystemService, adminFilesystemService),
  served(AdminNetworkService, adminNetworkService),
  served(AdminIPService, adminIpService),
  served(MethodService, methodService),
  served(TokenService, tokenService),
  served(AdminTokenService, adminTokenService),
  served(ServerReflection, reflectionService),
  served(UserService, userService),
  served(TenantService, tenantService),
  served(ProjectService, projectService),
  served(AdminTenantService, adminTenantService),
  served(AdminProjectService, adminProjectService),
  served(MachineService, machineService),
  served(FirewallService, firewallService),
  served(AdminMachineService, adminMachineService),
  served(AgentService, agentService),
  served(AdminUserService, adminUserService),
  served(AdminOidcClientService, adminOidcClientService),
  served(AdminConnectorService, adminConnectorService),
  served(AuditService, auditService),
  served(AdminAuditService, adminAuditService),
];

/** servedServiceDescriptors lists the descriptors of every served service; the permission table is built from them. */
export const servedServiceDescriptors: readonly DescService[] = servedServices.map((s) => s.descriptor);

/** registerServices builds every service implementation once and wires it into the router. */
export function registerServices(ctx: AppContext) {
  return (router: ConnectRouter) => {
    for (const service of servedServices) service.register(router, ctx);
  };
}
