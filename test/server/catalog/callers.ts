import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AdminRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { createProject } from "../../../src/server/tenancy/projects.js";
import { ensureUser } from "../../../src/server/tenancy/users.js";
import type { TestServer } from "../../helpers/start-server.js";

/** Caller is a logged-in user talking to the test server over HTTP with a real user token. */
export interface Caller {
  userId: string;
  /** A project the user owns (through its personal tenant); "" for admins. */
  project: string;
  client<S extends DescService>(service: S): Client<S>;
}

function clientFor(server: TestServer, token: string | undefined) {
  const transport = createConnectTransport({
    baseUrl: server.url,
    httpVersion: "1.1",
    interceptors: token
      ? [
          (next) => (req) => {
            req.header.set("Authorization", `Bearer ${token}`);
            return next(req);
          },
        ]
      : [],
  });
  return <S extends DescService>(service: S) => createClient(service, transport);
}

/** projectOwner creates a user with its personal tenant and one project, and logs it in. */
export async function projectOwner(server: TestServer, userId: string): Promise<Caller> {
  await ensureUser(server.ctx, { id: userId, name: userId, email: `${userId}@example.com` });
  const project = await createProject(server.ctx, userId, userId, {
    name: "main",
    description: "",
    labels: {},
  });
  const { accessToken } = await server.ctx.tokens.issueUserSession(userId);
  return { userId, project: project.id, client: clientFor(server, accessToken) };
}

/** operator creates a user with the given admin role and logs it in. */
export async function operator(server: TestServer, userId: string, role = AdminRole.EDITOR): Promise<Caller> {
  await ensureUser(server.ctx, { id: userId, name: userId, email: `${userId}@example.com`, adminRole: role });
  const { accessToken } = await server.ctx.tokens.issueUserSession(userId);
  return { userId, project: "", client: clientFor(server, accessToken) };
}

/** sameCallerOn logs `caller` in again on another server (a replica on the same database). */
export async function sameCallerOn(server: TestServer, caller: Caller): Promise<Caller> {
  const { accessToken } = await server.ctx.tokens.issueUserSession(caller.userId);
  return { ...caller, client: clientFor(server, accessToken) };
}

/** anonymous is a caller without a token. */
export function anonymous(server: TestServer): Pick<Caller, "client"> {
  return { client: clientFor(server, undefined) };
}
