import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { MachineServiceCreateRequestSchema } from "../../../src/gen/metalstack/api/v2/machine_pb.js";
import { TokenServiceCreateRequestSchema } from "../../../src/gen/metalstack/api/v2/token_pb.js";
import { redactRequest } from "../../../src/server/interceptors/redact.js";

describe("redactRequest", () => {
  it("keeps plain fields but hides machine user data, which often carries secrets", () => {
    const req = create(MachineServiceCreateRequestSchema, {
      project: "p1",
      name: "web-1",
      userdata: "#cloud-config\npassword: hunter2",
    });
    const json = redactRequest(MachineServiceCreateRequestSchema, req);
    expect(JSON.parse(json)).toMatchObject({ project: "p1", name: "web-1", userdata: "[redacted]" });
    expect(json).not.toContain("hunter2");
  });

  it("truncates large requests to a few KiB", () => {
    const req = create(TokenServiceCreateRequestSchema, { description: "x".repeat(10_000) });
    expect(redactRequest(TokenServiceCreateRequestSchema, req).length).toBeLessThan(4_200);
  });
});
