import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ProjectService as AdminProjectService } from "../../../src/gen/metalstack/admin/v2/project_pb.js";
import { TenantService as AdminTenantService } from "../../../src/gen/metalstack/admin/v2/tenant_pb.js";
import type { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { TenantService } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";
import { UserService } from "../../../src/gen/metalstack/api/v2/user_pb.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import type { TestServer } from "../../helpers/start-server.js";

/** Caller is a logged-in user with clients for every tenancy service, over the wire with a real user token. */
export interface Caller {
  id: string;
  user: Client<typeof UserService>;
  tenant: Client<typeof TenantService>;
  project: Client<typeof ProjectService>;
  adminTenant: Client<typeof AdminTenantService>;
  adminProject: Client<typeof AdminProjectService>;
}

/** clientsFor builds the tenancy clients that present `token` (none for anonymous calls). */
export function clientsFor(server: TestServer, token: string | undefined) {
  const bearer: Interceptor = (next) => (req) => {
    if (token) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: [bearer],
  });
  return {
    user: createClient(UserService, transport),
    tenant: createClient(TenantService, transport),
    project: createClient(ProjectService, transport),
    adminTenant: createClient(AdminTenantService, transport),
    adminProject: createClient(AdminProjectService, transport),
  };
}

/** login creates (or updates) a user the way first login does and returns clients with its user token. */
export async function login(server: TestServer, id: string, adminRole?: AdminRole): Promise<Caller> {
  await ensureUser(server.ctx, { id, name: `User ${id}`, email: `${id}@example.com`, adminRole });
  const session = await server.ctx.tokens.issueUserSession(id);
  return { id, ...clientsFor(server, session.accessToken) };
}
