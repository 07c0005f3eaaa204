import { create, createFileRegistry, setExtension } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_descriptor,
  MethodOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  AdminRole,
  admin_roles,
  file_metalstack_api_v2_common,
  ProjectRole,
  project_roles,
  Scope,
  scope,
} from "../../../src/gen/metalstack/api/v2/common_pb.js";
import { AnnotationError, buildPermissionTable } from "../../../src/server/authz/permission-table.js";

interface MethodSpec {
  name: string;
  input: string;
  scope?: Scope;
  projectRoles?: ProjectRole[];
  adminRoles?: AdminRole[];
}

/** serviceWith builds a real descriptor of a service whose methods carry the given annotations. */
function serviceWith(methods: MethodSpec[]) {
  const stringField = (name: string, number: number) => ({
    name,
    number,
    type: FieldDescriptorProto_Type.STRING,
    label: FieldDescriptorProto_Label.OPTIONAL,
    jsonName: name,
  });
  const file = create(FileDescriptorProtoSchema, {
    name: "test/bad.proto",
    package: "test.bad",
    syntax: "proto3",
    dependency: ["metalstack/api/v2/common.proto"],
    messageType: [
      { name: "WithProject", field: [stringField("project", 1)] },
      { name: "WithoutSubject", field: [stringField("name", 1)] },
      { name: "Empty" },
    ],
    service: [
      {
        name: "BadService",
        method: methods.map((m) => {
          const options = create(MethodOptionsSchema);
          if (m.scope !== undefined) setExtension(options, scope, m.scope);
          if (m.projectRoles) setExtension(options, project_roles, m.projectRoles);
          if (m.adminRoles) setExtension(options, admin_roles, m.adminRoles);
          return { name: m.name, inputType: `.test.bad.${m.input}`, outputType: ".test.bad.Empty", options };
        }),
      },
    ],
  });
  const registry = createFileRegistry(file, (name) =>
    name === "metalstack/api/v2/common.proto"
      ? file_metalstack_api_v2_common
      : name === "google/protobuf/descriptor.proto"
        ? file_google_protobuf_descriptor
        : undefined,
  );
  const service = registry.getService("test.bad.BadService");
  if (!service) throw new Error("service not built");
  return service;
}

const problemsOf = (methods: MethodSpec[]) => {
  try {
    buildPermissionTable([serviceWith(methods)]);
    return [];
  } catch (err) {
    if (!(err instanceof AnnotationError)) throw err;
    return err.problems;
  }
};

describe("annotation check (the server refuses to start on a violation)", () => {
  it("accepts a well-annotated method", () => {
    expect(
      problemsOf([
        {
          name: "Get",
          input: "WithProject",
          scope: Scope.PROJECT,
          projectRoles: [ProjectRole.OWNER, ProjectRole.EDITOR, ProjectRole.VIEWER],
        },
      ]),
    ).toEqual([]);
  });

  it.each<[string, MethodSpec, RegExp]>([
    ["no scope", { name: "A", input: "Empty" }, /has no \(metalstack\.api\.v2\.scope\) option/],
    ["SCOPE_UNSPECIFIED", { name: "A", input: "Empty", scope: Scope.UNSPECIFIED }, /is never served/],
    ["SCOPE_PRIVATE", { name: "A", input: "Empty", scope: Scope.PRIVATE }, /is never served/],
    [
      "a project scope without a project field",
      { name: "A", input: "WithoutSubject", scope: Scope.PROJECT, projectRoles: [ProjectRole.OWNER] },
      /needs a top-level "string project" field/,
    ],
    [
      "a project scope without roles",
      { name: "A", input: "WithProject", scope: Scope.PROJECT },
      /needs at least one \(project_roles\)/,
    ],
    [
      "roles not closed upwards",
      { name: "A", input: "WithProject", scope: Scope.PROJECT, projectRoles: [ProjectRole.VIEWER] },
      /closed upwards: VIEWER also needs OWNER, EDITOR/,
    ],
    [
      "mixed scopes (self with admin roles)",
      { name: "A", input: "Empty", scope: Scope.SELF, adminRoles: [AdminRole.EDITOR] },
      /SELF must not carry admin_roles/,
    ],
  ])("refuses %s", (_name, spec, message) => {
    const problems = problemsOf([spec]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\/test\.bad\.BadService\/A: /);
    expect(problems[0]).toMatch(message);
  });

  it("names every offending method at once", () => {
    const problems = problemsOf([
      { name: "A", input: "Empty" },
      { name: "B", input: "WithoutSubject", scope: Scope.PROJECT, projectRoles: [ProjectRole.OWNER] },
    ]);
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "/test.bad.BadService/A",
      "/test.bad.BadService/B",
    ]);
  });
});
