import type { DescService } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditService as AdminAuditService } from "../../../src/gen/metalstack/admin/v2/audit_pb.js";
import { FilesystemService as AdminFilesystemService } from "../../../src/gen/metalstack/admin/v2/filesystem_pb.js";
import { ImageService as AdminImageService } from "../../../src/gen/metalstack/admin/v2/image_pb.js";
import { IPService as AdminIPService } from "../../../src/gen/metalstack/admin/v2/ip_pb.js";
import { MachineService as AdminMachineService } from "../../../src/gen/metalstack/admin/v2/machine_pb.js";
import { NetworkService as AdminNetworkService } from "../../../src/gen/metalstack/admin/v2/network_pb.js";
import { AuditService } from "../../../src/gen/metalstack/api/v2/audit_pb.js";
import { AdminRole, ProjectRole, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { startTestServer, type TestServer } from "../../helpers/start-server.js";
import {
  addUser,
  bearer,
  FOREIGN_PROJECT,
  FOREIGN_TENANT,
  MISSING_PROJECT,
  OWN_PROJECT,
  OWN_TENANT,
  seedScopes,
  setProjectRole,
  setTenantRole,
} from "./fixtures.js";

// A list filter naming a project or tenant that does not exist, or that the caller cannot see, is
// NotFound naming the field and the value — not an empty list — and both answers read the same.
let server: TestServer;
const tokens: Record<string, string> = {};

function as<S extends DescService>(service: S, who: string): Client<S> {
  return createClient(
    service,
    createConnectTransport({
      baseUrl: server.url,
      httpVersion: "1.1",
      interceptors: [bearer(tokens[who] ?? "")],
    }),
  );
}

async function failure(call: Promise<unknown> | AsyncIterable<unknown>): Promise<ConnectError | "ok"> {
  try {
    // A refused watch fails on its first read.
    if (Symbol.asyncIterator in call) await call[Symbol.asyncIterator]().next();
    else await call;
    return "ok";
  } catch (e) {
    return ConnectError.from(e);
  }
}

async function expectNotFound(call: Promise<unknown> | AsyncIterable<unknown>, message: RegExp) {
  const e = await failure(call);
  expect(e).toBeInstanceOf(ConnectError);
  expect([(e as ConnectError).code, (e as ConnectError).rawMessage]).toEqual([
    Code.NotFound,
    expect.stringMatching(message),
  ]);
  return (e as ConnectError).rawMessage;
}

beforeAll(async () => {
  server = await startTestServer();
  await seedScopes(server.ctx);
  await addUser(server.ctx, "owner");
  await addUser(server.ctx, "member");
  await addUser(server.ctx, "ops", AdminRole.VIEWER);
  await setTenantRole(server.ctx, "owner", OWN_TENANT, TenantRole.OWNER);
  await setProjectRole(server.ctx, "member", OWN_PROJECT, ProjectRole.VIEWER);
  for (const who of ["owner", "member", "ops"]) {
    tokens[who] = (await server.ctx.tokens.issueUserSession(who)).accessToken;
  }
});
afterAll(() => server?.close());

describe("list filters name a project or tenant that exists and that the caller can see", () => {
  it("a tenant's audit log filtered by a project outside the tenant is NotFound, the same whether it exists", async () => {
    const audit = as(AuditService, "owner");
    const missing = await expectNotFound(
      audit.list({ tenant: OWN_TENANT, query: { project: MISSING_PROJECT } }),
      /^query\.project: project "p-missing" not found in tenant "t-own"; name a project you can use \(metalctl project list\)$/,
    );
    const foreign = await expectNotFound(
      audit.list({ tenant: OWN_TENANT, query: { project: FOREIGN_PROJECT } }),
      /^query\.project: project "p-foreign" not found in tenant "t-own"/,
    );
    expect(foreign.replace(FOREIGN_PROJECT, "X")).toBe(missing.replace(MISSING_PROJECT, "X"));
    await expect(audit.list({ tenant: OWN_TENANT, query: { project: OWN_PROJECT } })).resolves.toBeDefined();
    await expectNotFound(
      audit.watch({ tenant: OWN_TENANT, query: { project: MISSING_PROJECT } }),
      /^query\.project: project "p-missing" not found/,
    );
  });

  it("operators' audit log, by tenant or project, names what does not exist", async () => {
    const audit = as(AdminAuditService, "ops");
    await expectNotFound(
      audit.list({ tenant: "t-nope" }),
      /^tenant: tenant "t-nope" not found; name a tenant by its ID \(metalctl admin tenant list\)$/,
    );
    await expectNotFound(
      audit.list({ query: { project: MISSING_PROJECT } }),
      /^query\.project: project "p-missing"/,
    );
    await expectNotFound(audit.watch({ tenant: "t-nope" }), /^tenant: tenant "t-nope" not found/);
    await expect(
      audit.list({ tenant: FOREIGN_TENANT, query: { project: FOREIGN_PROJECT } }),
    ).resolves.toBeDefined();
    // Who may not read it learns nothing about which tenants exist.
    const denied = await failure(as(AdminAuditService, "owner").list({ tenant: "t-nope" }));
    expect((denied as ConnectError).code).toBe(Code.PermissionDenied);
  });

  it("operators' machine, image, network, IP and filesystem lists refuse an unknown project or tenant", async () => {
    const machines = as(AdminMachineService, "ops");
    await expectNotFound(
      machines.list({ project: MISSING_PROJECT }),
      /^project: project "p-missing" not found; name a project by its ID \(metalctl admin project list\)$/,
    );
    await expectNotFound(machines.list({ tenant: "t-nope" }), /^tenant: tenant "t-nope" not found/);
    await expect(machines.list({ project: OWN_PROJECT, tenant: OWN_TENANT })).resolves.toBeDefined();
    for (const service of [AdminImageService, AdminNetworkService, AdminIPService, AdminFilesystemService]) {
      const client = as(service, "ops") as unknown as Client<typeof AdminImageService>;
      await expectNotFound(
        client.list({ project: MISSING_PROJECT }),
        /^project: project "p-missing" not found/,
      );
      await expect(client.list({ project: OWN_PROJECT })).resolves.toBeDefined();
    }
    const denied = await failure(as(AdminMachineService, "owner").list({ project: MISSING_PROJECT }));
    expect((denied as ConnectError).code).toBe(Code.PermissionDenied);
  });

  it("a project-scoped list on a project that does not exist is NotFound for an operator, PermissionDenied for others", async () => {
    await expectNotFound(
      as(MachineService, "ops").list({ project: MISSING_PROJECT }),
      /^project: project "p-missing" not found/,
    );
    await expect(as(MachineService, "ops").list({ project: FOREIGN_PROJECT })).resolves.toBeDefined();
    for (const project of [MISSING_PROJECT, FOREIGN_PROJECT]) {
      const denied = await failure(as(MachineService, "owner").list({ project }));
      expect((denied as ConnectError).code).toBe(Code.PermissionDenied);
    }
  });

  it("the caller's project list by a tenant it cannot see reads the same as by one that does not exist", async () => {
    const projects = as(ProjectService, "member");
    const missing = await expectNotFound(
      projects.list({ tenant: "t-nope" }),
      /^tenant: tenant "t-nope" not found; name a tenant you can use \(metalctl tenant list\)$/,
    );
    const foreign = await expectNotFound(
      projects.list({ tenant: FOREIGN_TENANT }),
      /^tenant: tenant "t-foreign" not found/,
    );
    expect(foreign.replace(FOREIGN_TENANT, "X")).toBe(missing.replace("t-nope", "X"));
    // A project membership is enough to see the project's tenant.
    const own = await projects.list({ tenant: OWN_TENANT });
    expect(own.projects.map((p) => p.id)).toEqual([OWN_PROJECT]);
  });

  it("a filter longer than any ID is invalid, not looked up", async () => {
    const e = await failure(as(AdminMachineService, "ops").list({ tenant: "t".repeat(300) }));
    expect([(e as ConnectError).code, (e as ConnectError).rawMessage]).toEqual([
      Code.InvalidArgument,
      "tenant: at most 256 characters, got 300",
    ]);
  });

  it("an unprintable filter value is echoed escaped", async () => {
    const msg = await expectNotFound(
      as(AdminMachineService, "ops").list({ tenant: 'a"b' }),
      /^tenant: tenant "a\\u0022b" not found/,
    );
    expect(msg).not.toContain('a"b');
  });
});
