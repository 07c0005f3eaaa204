import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { createRegistry } from "@bufbuild/protobuf";
import { file_metalstack_admin_v2_connector } from "../../gen/metalstack/admin/v2/connector_pb.js";
import { file_metalstack_admin_v2_filesystem } from "../../gen/metalstack/admin/v2/filesystem_pb.js";
import { file_metalstack_admin_v2_image } from "../../gen/metalstack/admin/v2/image_pb.js";
import { file_metalstack_admin_v2_ip } from "../../gen/metalstack/admin/v2/ip_pb.js";
import { file_metalstack_admin_v2_machine } from "../../gen/metalstack/admin/v2/machine_pb.js";
import { file_metalstack_admin_v2_network } from "../../gen/metalstack/admin/v2/network_pb.js";
import { file_metalstack_admin_v2_oidc_client } from "../../gen/metalstack/admin/v2/oidc_client_pb.js";
import { file_metalstack_admin_v2_partition } from "../../gen/metalstack/admin/v2/partition_pb.js";
import { file_metalstack_admin_v2_project } from "../../gen/metalstack/admin/v2/project_pb.js";
import { file_metalstack_admin_v2_size } from "../../gen/metalstack/admin/v2/size_pb.js";
import { file_metalstack_admin_v2_tenant } from "../../gen/metalstack/admin/v2/tenant_pb.js";
import { file_metalstack_admin_v2_token } from "../../gen/metalstack/admin/v2/token_pb.js";
import { file_metalstack_admin_v2_user } from "../../gen/metalstack/admin/v2/user_pb.js";
import { file_metalstack_api_v2_filesystem } from "../../gen/metalstack/api/v2/filesystem_pb.js";
import { file_metalstack_api_v2_health } from "../../gen/metalstack/api/v2/health_pb.js";
import { file_metalstack_api_v2_image } from "../../gen/metalstack/api/v2/image_pb.js";
import { file_metalstack_api_v2_ip } from "../../gen/metalstack/api/v2/ip_pb.js";
import { file_metalstack_api_v2_machine } from "../../gen/metalstack/api/v2/machine_pb.js";
import { file_metalstack_api_v2_method } from "../../gen/metalstack/api/v2/method_pb.js";
import { file_metalstack_api_v2_network } from "../../gen/metalstack/api/v2/network_pb.js";
import { file_metalstack_api_v2_partition } from "../../gen/metalstack/api/v2/partition_pb.js";
import { file_metalstack_api_v2_project } from "../../gen/metalstack/api/v2/project_pb.js";
import { file_metalstack_api_v2_size } from "../../gen/metalstack/api/v2/size_pb.js";
import { file_metalstack_api_v2_tenant } from "../../gen/metalstack/api/v2/tenant_pb.js";
import { file_metalstack_api_v2_token } from "../../gen/metalstack/api/v2/token_pb.js";
import { file_metalstack_api_v2_user } from "../../gen/metalstack/api/v2/user_pb.js";
import { file_metalstack_api_v2_version } from "../../gen/metalstack/api/v2/version_pb.js";
import { file_metalstack_infra_v2_agent } from "../../gen/metalstack/infra/v2/agent_pb.js";
import { usageError } from "../errors.js";

/** apiRegistry holds every service of the generated API (api, admin and infra), for `metalctl api`. */
export const apiRegistry = createRegistry(
  file_metalstack_admin_v2_connector,
  file_metalstack_admin_v2_filesystem,
  file_metalstack_admin_v2_image,
  file_metalstack_admin_v2_ip,
  file_metalstack_admin_v2_machine,
  file_metalstack_admin_v2_network,
  file_metalstack_admin_v2_oidc_client,
  file_metalstack_admin_v2_partition,
  file_metalstack_admin_v2_project,
  file_metalstack_admin_v2_size,
  file_metalstack_admin_v2_tenant,
  file_metalstack_admin_v2_token,
  file_metalstack_admin_v2_user,
  file_metalstack_api_v2_filesystem,
  file_metalstack_api_v2_health,
  file_metalstack_api_v2_image,
  file_metalstack_api_v2_ip,
  file_metalstack_api_v2_machine,
  file_metalstack_api_v2_method,
  file_metalstack_api_v2_network,
  file_metalstack_api_v2_partition,
  file_metalstack_api_v2_project,
  file_metalstack_api_v2_size,
  file_metalstack_api_v2_tenant,
  file_metalstack_api_v2_token,
  file_metalstack_api_v2_user,
  file_metalstack_api_v2_version,
  file_metalstack_infra_v2_agent,
);

/** apiServices lists every service in the registry. */
export function apiServices(): DescService[] {
  const out: DescService[] = [];
  for (const t of apiRegistry) if (t.kind === "service") out.push(t);
  return out;
}

/** methodPath is the Connect procedure path of a method without the leading slash. */
export function methodPath(m: DescMethod): string {
  return `${m.parent.typeName}/${m.name}`;
}

/**
 * findMethod resolves `SERVICE/METHOD`: the full name (metalstack.admin.v2.MachineService/List) or
 * the short service name (MachineService/List), which means the user API (metalstack.api.v2) when
 * admin or infra have a service of the same name; a leading slash is allowed.
 */
export function findMethod(spec: string): DescMethod {
  const [svcName, methodName, ...rest] = spec.replace(/^\//, "").split("/");
  if (!svcName || !methodName || rest.length) {
    throw usageError(`"${spec}" is not SERVICE/METHOD`, "e.g. metalstack.api.v2.MachineService/List");
  }
  let services = apiServices().filter((s) => s.typeName === svcName || s.name === svcName);
  const user = services.filter((s) => s.typeName.startsWith("metalstack.api.v2."));
  if (services.length > 1 && user.length === 1) services = user;
  if (services.length === 0) {
    throw usageError(`unknown service "${svcName}"`, "`metalctl api --list` shows every method");
  }
  if (services.length > 1) {
    throw usageError(
      `"${svcName}" is ambiguous`,
      `use one of: ${services.map((s) => s.typeName).join(", ")}`,
    );
  }
  const method = services[0]!.methods.find((m) => m.name === methodName || m.localName === methodName);
  if (!method) {
    throw usageError(
      `${services[0]!.typeName} has no method "${methodName}"`,
      `use one of: ${services[0]!.methods.map((m) => m.name).join(", ")}`,
    );
  }
  return method;
}
