import { toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { updateFromEdit } from "../../../src/cli/edit/update-request.js";
import { CliError } from "../../../src/cli/errors.js";
import type { JsonValue } from "../../../src/cli/output/printer.js";
import { IPServiceUpdateRequestSchema } from "../../../src/gen/metalstack/api/v2/ip_pb.js";
import { MachineServiceUpdateRequestSchema } from "../../../src/gen/metalstack/api/v2/machine_pb.js";

const ip = {
  uuid: "u1",
  ip: "203.0.113.4",
  name: "gateway",
  type: "IP_TYPE_EPHEMERAL",
  project: "p1",
  meta: { generation: "3", labels: { team: "a", env: "prod" }, createdAt: "2026-01-01T00:00:00Z" },
};
const ipShape = { request: IPServiceUpdateRequestSchema, identity: { project: "p1", id: "u1" } };
/** edited is the IP document with some top-level fields replaced (undefined deletes one). */
const edited = (patch: Record<string, JsonValue | undefined>): JsonValue =>
  JSON.parse(JSON.stringify({ ...ip, ...patch }));
const request = (before: JsonValue, after: JsonValue) => {
  const r = updateFromEdit(ipShape, before, after);
  return r.changed ? { fields: r.fields, request: toJson(IPServiceUpdateRequestSchema, r.request) } : r;
};

describe("update from an edited document", () => {
  it("is nothing when nothing changed, also when only server-kept fields were touched", () => {
    expect(request(ip, structuredClone(ip))).toEqual({ changed: false });
    expect(request(ip, edited({ meta: { ...ip.meta, generation: "9", updatedAt: "x" } }))).toEqual({
      changed: false,
    });
  });

  it("sends only the changed fields with the generation that was read", () => {
    expect(request(ip, edited({ description: "edge router" }))).toEqual({
      fields: ["description"],
      request: { project: "p1", id: "u1", updateMeta: { generation: "3" }, description: "edge router" },
    });
  });

  it("turns label edits into updates and removals", () => {
    const after = edited({ meta: { ...ip.meta, labels: { team: "b", tier: "1" } } });
    expect(request(ip, after)).toEqual({
      fields: ["meta.labels"],
      request: {
        project: "p1",
        id: "u1",
        updateMeta: { generation: "3" },
        labels: { update: { team: "b", tier: "1" }, remove: ["env"] },
      },
    });
  });

  it("clears a field the edit deleted and reads enum names", () => {
    const after = edited({ name: undefined, type: "IP_TYPE_STATIC" });
    expect(request(ip, after)).toMatchObject({
      fields: ["name", "type"],
      request: { name: "", type: "IP_TYPE_STATIC" },
    });
  });

  it("maps fields that live elsewhere in the resource and wraps lists", () => {
    const machine = {
      uuid: "m1",
      allocation: { name: "web", sshPublicKeys: ["ssh-ed25519 A"] },
      meta: { generation: "1" },
    };
    const shape = {
      request: MachineServiceUpdateRequestSchema,
      identity: { project: "p1", uuid: "m1" },
      paths: {
        name: "allocation.name",
        description: "allocation.description",
        sshPublicKeys: "allocation.sshPublicKeys",
      },
      wrapped: { sshPublicKeys: "keys" },
    };
    const r = updateFromEdit(shape, machine, {
      ...machine,
      allocation: { name: "web-2", sshPublicKeys: ["ssh-ed25519 A", "ssh-ed25519 B"] },
    });
    expect(r.changed && toJson(MachineServiceUpdateRequestSchema, r.request)).toEqual({
      project: "p1",
      uuid: "m1",
      updateMeta: { generation: "1" },
      name: "web-2",
      sshPublicKeys: { keys: ["ssh-ed25519 A", "ssh-ed25519 B"] },
    });
  });

  it.each([
    [edited({ ip: "203.0.113.9" }), "ip cannot be changed here"],
    [edited({ project: "p2", extra: 1 }), "extra, project cannot be changed here"],
    [["not", "an", "object"], "the edited document must be one YAML object, as describe prints it"],
    [edited({ type: "IP_TYPE_BOGUS" }), "the edited document does not fit"],
  ])("refuses edits the update cannot make (%#)", (after, message) => {
    let err: unknown;
    try {
      updateFromEdit(ipShape, ip, after as JsonValue);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toContain(message);
  });

  it("names the editable fields when refusing", () => {
    expect(() => updateFromEdit(ipShape, ip, edited({ ip: "x" }))).toThrow(
      expect.objectContaining({ hint: "edit only name, description, type, meta.labels" }),
    );
  });
});
