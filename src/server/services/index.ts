import type { ConnectRouter } from "@connectrpc/connect";
import { MachineService as AdminMachineService } from "../../gen/metalstack/admin/v2/machine_pb.js";
import { ProjectService as AdminProjectService } from "../../gen/metalstack/admin/v2/project_pb.js";
import { TenantService as AdminTenantService } from "../../gen/metalstack/admin/v2/tenant_pb.js";
import { HealthService } from "../../gen/metalstack/api/v2/health_pb.js";
import { MachineService } from "../../gen/metalstack/api/v2/machine_pb.js";
import { ProjectService } from "../../gen/metalstack/api/v2/project_pb.js";
import { TenantService } from "../../gen/metalstack/api/v2/tenant_pb.js";
import { UserService } from "../../gen/metalstack/api/v2/user_pb.js";
import { VersionService } from "../../gen/metalstack/api/v2/version_pb.js";
import { AgentService } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { AppContext } from "../context.js";
import { adminMachineService } from "./admin/machine/index.js";
import { adminProjectService } from "./admin/project/index.js";
import { adminTenantService } from "./admin/tenant/index.js";
import { healthService } from "./health/index.js";
import { agentService } from "./infra/index.js";
import { machineService } from "./machine/index.js";
import { projectService } from "./project/index.js";
import { tenantService } from "./tenant/index.js";
import { userService } from "./user/index.js";
import { versionService } from "./version/index.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { TokenService as AdminTokenService } from "../../gen/metalstack/admin/v2/token_pb.js";
import { MethodService } from "../../gen/metalstack/api/v2/method_pb.js";
import { TokenService } from "../../gen/metalstack/api/v2/token_pb.js";
import { adminTokenService } from "./admin/token/index.js";
import { methodService } from "./method/index.js";
import { reflectionService } from "./reflection/index.js";
import { tokenService } from "./token/index.js";

/**
 * registerServices wires every service implementation into the router. One line per service;
 * authorization is not done here but by the interceptors, from the proto annotations.
 */
export function registerServices(ctx: AppContext) {
  return (router: ConnectRouter) => {
    router.service(HealthService, healthService(ctx));
    router.service(VersionService, versionService());
    router.service(MachineService, machineService(ctx));
    router.service(AdminMachineService, adminMachineService(ctx));
    router.service(AgentService, agentService(ctx));
    router.service(MethodService, methodService(ctx));
    router.service(TokenService, tokenService(ctx));
    router.service(AdminTokenService, adminTokenService(ctx));
    router.service(ServerReflection, reflectionService(ctx));
    router.service(UserService, userService(ctx));
    router.service(TenantService, tenantService(ctx));
    router.service(ProjectService, projectService(ctx));
    router.service(AdminTenantService, adminTenantService(ctx));
    router.service(AdminProjectService, adminProjectService(ctx));
  };
}
