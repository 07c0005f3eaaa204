import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProjectSchema, ProjectService } from "../../../src/gen/metalstack/api/v2/project_pb.js";
import { project } from "../../fixtures/resources.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

// Another tenant's project with the same name as `project`, so that name is ambiguous.
const twin = create(ProjectSchema, {
  ...project,
  id: "9e9e9e9e-0000-4000-8000-000000000002",
  tenant: "other",
});
const shop = create(ProjectSchema, { ...project, id: "5a5a5a5a-0000-4000-8000-000000000003", name: "shop" });

let home: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "metalctl-project-"));
  env = { HOME: home, XDG_CONFIG_HOME: path.join(home, "config"), METALCTL_API_URL: "http://127.0.0.1:1" };
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function api() {
  const all = [project, twin, shop];
  return fakeApi((router) =>
    router.service(ProjectService, {
      list: () => ({ projects: all }),
      get: (req) => ({ project: all.find((p) => p.id === req.project) }),
    }),
  );
}

describe("project describe resolves what the user typed once, through the resource's lookup", () => {
  it("takes an ID as typed, without listing", async () => {
    const { transport, calls } = api();
    const res = await runCommand(["project", "describe", shop.id, "-o", "json"], { env, transport });
    expect(JSON.parse(res.stdout)).toMatchObject({ id: shop.id, name: "shop" });
    expect(calls.map((c) => c.method)).toEqual(["ProjectService/Get"]);
  });

  it("finds a unique name among the caller's projects", async () => {
    const { transport, calls } = api();
    const res = await runCommand(["project", "describe", "shop", "--template", "{{ .id }}"], {
      env,
      transport,
    });
    expect(res).toMatchObject({ code: 0, stdout: `${shop.id}\n` });
    expect(calls.map((c) => c.method)).toEqual(["ProjectService/List", "ProjectService/Get"]);
    expect(calls[1]?.request).toMatchObject({ project: shop.id });
  });

  it("refuses an ambiguous name with the candidates and a usage exit code", async () => {
    const { transport, calls } = api();
    const res = await runCommand(["project", "describe", "web"], { env, transport });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('project "web" is ambiguous: 2 match');
    expect(res.stderr).toContain(`${project.id} (web, tenant acme)`);
    expect(res.stderr).toContain(`${twin.id} (web, tenant other)`);
    expect(calls.map((c) => c.method)).toEqual(["ProjectService/List"]);
  });

  it("shows the selected project when none is named", async () => {
    const { transport } = api();
    const res = await runCommand(["project", "describe", "-o", "yaml"], {
      env: { ...env, METALCTL_PROJECT: twin.id },
      transport,
    });
    expect(res.stdout).toMatch(/^id: 9e9e9e9e-/m);
  });
});
