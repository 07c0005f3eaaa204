import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/errors.js";
import { type OutputFormat, render } from "../../../src/cli/output/printer.js";
import { parseTemplate } from "../../../src/cli/output/template.js";
import {
  parsePermission,
  resolvePermissions,
  tokenCreateRequest,
  tokenView,
} from "../../../src/cli/resources/token.js";
import { AdminRole, ProjectRole, Scope, TenantRole } from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { MethodInfoSchema } from "../../../src/gen/metalstack/api/v2/method_pb.js";
import { TokenSchema, TokenType } from "../../../src/gen/metalstack/api/v2/token_pb.js";

const now = new Date("2026-01-10T12:00:00Z");
const ts = (iso: string) => timestampFromDate(new Date(iso));

const ci = create(TokenSchema, {
  uuid: "0b1c2d3e-0000-4000-8000-000000000001",
  user: "alice",
  description: "ci deploy",
  projectRoles: { p1: ProjectRole.EDITOR },
  permissions: [{ subject: "p2", methods: ["/metalstack.api.v2.IPService/List"] }],
  expires: ts("2026-02-09T12:00:00Z"),
  issuedAt: ts("2026-01-09T12:00:00Z"),
  tokenType: TokenType.API,
});
const session = create(TokenSchema, {
  uuid: "0b1c2d3e-0000-4000-8000-000000000002",
  user: "alice",
  description: "login session",
  expires: ts("2026-01-10T19:00:00Z"),
  issuedAt: ts("2026-01-10T11:55:00Z"),
  tokenType: TokenType.USER,
});

const print = (
  format: OutputFormat,
  extra: { template?: string; sortBy?: string; noHeaders?: boolean } = {},
) =>
  render(
    { view: tokenView, items: [ci, session], list: true },
    {
      format,
      now,
      ...extra,
      template: extra.template === undefined ? undefined : parseTemplate(extra.template),
    },
  );

describe("token printers (one fixture in every format)", () => {
  it("table", () => {
    expect(print("table")).toBe(
      [
        "ID                                     TYPE   DESCRIPTION     GRANTS                        EXPIRES",
        "0b1c2d3e-0000-4000-8000-000000000001   api    ci deploy       project p1=editor, 1 method   in 30d",
        "0b1c2d3e-0000-4000-8000-000000000002   user   login session   all of the user's roles       in 7h",
        "",
      ].join("\n"),
    );
  });

  it("wide", () => {
    expect(print("wide")).toBe(
      [
        "ID                                     TYPE   DESCRIPTION     GRANTS                        EXPIRES   ISSUED   PERMISSIONS",
        "0b1c2d3e-0000-4000-8000-000000000001   api    ci deploy       project p1=editor, 1 method   in 30d    24h      /metalstack.api.v2.IPService/List@p2",
        "0b1c2d3e-0000-4000-8000-000000000002   user   login session   all of the user's roles       in 7h     5m",
        "",
      ].join("\n"),
    );
  });

  it("markdown", () => {
    expect(print("markdown", { sortBy: "description" })).toBe(
      [
        "| ID                                   | TYPE | DESCRIPTION   | GRANTS                      | EXPIRES |",
        "|--------------------------------------|------|---------------|-----------------------------|---------|",
        "| 0b1c2d3e-0000-4000-8000-000000000001 | api  | ci deploy     | project p1=editor, 1 method | in 30d  |",
        "| 0b1c2d3e-0000-4000-8000-000000000002 | user | login session | all of the user's roles     | in 7h   |",
        "",
      ].join("\n"),
    );
  });

  it("json (proto JSON mapping)", () => {
    expect(JSON.parse(print("json"))[0]).toEqual({
      uuid: "0b1c2d3e-0000-4000-8000-000000000001",
      user: "alice",
      description: "ci deploy",
      permissions: [{ subject: "p2", methods: ["/metalstack.api.v2.IPService/List"] }],
      projectRoles: { p1: "PROJECT_ROLE_EDITOR" },
      expires: "2026-02-09T12:00:00Z",
      issuedAt: "2026-01-09T12:00:00Z",
      tokenType: "TOKEN_TYPE_API",
    });
  });

  it("yaml", () => {
    expect(print("yaml").split("\n").slice(0, 12).join("\n")).toBe(
      [
        "- uuid: 0b1c2d3e-0000-4000-8000-000000000001",
        "  user: alice",
        "  description: ci deploy",
        "  permissions:",
        "    - subject: p2",
        "      methods:",
        "        - /metalstack.api.v2.IPService/List",
        "  projectRoles:",
        "    p1: PROJECT_ROLE_EDITOR",
        "  expires: 2026-02-09T12:00:00Z",
        "  issuedAt: 2026-01-09T12:00:00Z",
        "  tokenType: TOKEN_TYPE_API",
      ].join("\n"),
    );
  });

  it("template", () => {
    expect(
      print("template", {
        template: "{{ .uuid }} {{ .tokenType }}{{ range .permissions }} {{ .subject }}{{ end }}",
      }),
    ).toBe(
      "0b1c2d3e-0000-4000-8000-000000000001 TOKEN_TYPE_API p2\n0b1c2d3e-0000-4000-8000-000000000002 TOKEN_TYPE_USER\n",
    );
  });

  it("sorts by a column's real value and omits headers", () => {
    const out = print("table", { sortBy: "expires", noHeaders: true });
    expect(out.split("\n")[0]).toContain("login session");
    expect(() => print("table", { sortBy: "colour" })).toThrow(/not a column/);
  });
});

describe("token create request", () => {
  const methods = [
    create(MethodInfoSchema, {
      method: "/metalstack.api.v2.IPService/List",
      scope: Scope.PROJECT,
      subjectField: "project",
    }),
    create(MethodInfoSchema, {
      method: "/metalstack.api.v2.TenantService/Get",
      scope: Scope.TENANT,
      subjectField: "tenant",
    }),
    create(MethodInfoSchema, { method: "/metalstack.api.v2.UserService/Get", scope: Scope.SELF }),
  ];

  it("builds roles, permissions grouped by subject, and an expiry from now", () => {
    const perms = resolvePermissions(
      [
        "IPService/List",
        "/metalstack.api.v2.UserService/Get",
        "TenantService/Get@t1",
        "IPService/List@p9",
      ].map(parsePermission),
      methods,
      () => "p-current",
    );
    const req = tokenCreateRequest(
      {
        description: "ci",
        expires: "30d",
        "project-role": ["p1=Editor"],
        "tenant-role": ["t1=TENANT_ROLE_VIEWER"],
        "admin-role": "viewer",
      },
      perms,
      now,
    );
    expect(req.description).toBe("ci");
    expect(timestampDate(req.expires!).toISOString()).toBe("2026-02-09T12:00:00.000Z");
    expect(req.projectRoles).toEqual({ p1: ProjectRole.EDITOR });
    expect(req.tenantRoles).toEqual({ t1: TenantRole.VIEWER });
    expect(req.adminRole).toBe(AdminRole.VIEWER);
    expect(req.permissions.map((p) => [p.subject, p.methods])).toEqual([
      ["p-current", ["/metalstack.api.v2.IPService/List"]],
      ["*", ["/metalstack.api.v2.UserService/Get"]],
      ["t1", ["/metalstack.api.v2.TenantService/Get"]],
      ["p9", ["/metalstack.api.v2.IPService/List"]],
    ]);
  });

  it.each([
    [() => parsePermission("IPService"), "must be SERVICE/METHOD"],
    [() => parsePermission("IPService/List@"), "must be SERVICE/METHOD"],
    [() => resolvePermissions([parsePermission("NopeService/Get")], methods, () => "p"), "unknown method"],
    [() => resolvePermissions([parsePermission("TenantService/Get")], methods, () => "p"), "needs a tenant"],
    [() => tokenCreateRequest({ expires: "30d" }, [], now), "at least one grant"],
    [() => tokenCreateRequest({ expires: "soon", "project-role": ["p=viewer"] }, [], now), "not a duration"],
    [() => tokenCreateRequest({ expires: "1d", "project-role": ["p"] }, [], now), "must be ID=ROLE"],
    [() => tokenCreateRequest({ expires: "1d", "project-role": ["p=viewer", "p=owner"] }, [], now), "twice"],
  ])("refuses bad input with a usage error (%#)", (fn, msg) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain(msg);
  });
});
