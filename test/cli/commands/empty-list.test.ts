import { describe, expect, it } from "vitest";
import { MachineService } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { TenantService } from "../../../src/gen/metalstack/api/v2/tenant_pb.js";
import { fakeApi } from "../../helpers/fake-api.js";
import { runCommand } from "../../helpers/run-command.js";

const PROJECT = "11111111-1111-4111-8111-111111111111";
const env = { METALCTL_API_URL: "http://127.0.0.1:1", METALCTL_PROJECT: PROJECT };

function nothing() {
  return fakeApi((router) => {
    router.service(MachineService, { list: () => ({}) });
    router.service(TenantService, { list: () => ({}) });
  }).transport;
}

describe("an empty list", () => {
  it("says so on a terminal, on stderr, naming the project", async () => {
    const res = await runCommand(["machine", "list"], { env, transport: nothing(), terminal: true });
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`No machines in project ${PROJECT}.`);
    expect(res.stdout).not.toContain("No machines");
  });

  it("says the filters matched nothing when filters narrowed it", async () => {
    const res = await runCommand(["machine", "list", "--hostname", "web-1"], {
      env,
      transport: nothing(),
      terminal: true,
    });
    expect(res.stderr).toContain(`No machines in project ${PROJECT} match the filters.`);
  });

  it("names no project for a server-wide resource", async () => {
    const res = await runCommand(["tenant", "list"], { env, transport: nothing(), terminal: true });
    expect(res.stderr).toContain("No tenants.");
  });

  it("stays silent when piped, and in JSON, YAML and templates on a terminal", async () => {
    const piped = await runCommand(["machine", "list"], { env, transport: nothing() });
    expect(piped).toMatchObject({ code: 0, stderr: "" });
    for (const format of [
      ["-o", "json"],
      ["-o", "yaml"],
      ["--template", "{{ .id }}"],
    ]) {
      const res = await runCommand(["machine", "list", ...format], {
        env,
        transport: nothing(),
        terminal: true,
      });
      expect(res.stderr, format.join(" ")).not.toContain("No machines");
    }
  });
});
