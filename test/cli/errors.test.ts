import { describe, expect, it } from "vitest";
import { permissionHint } from "../../src/cli/errors.js";

describe("permissionHint", () => {
  it("sends a missing role to an owner of the project or tenant", () => {
    expect(permissionHint('project role OWNER or EDITOR on project "p1"')).toBe(
      'ask an owner for project role OWNER or EDITOR on project "p1"',
    );
  });

  it("tells API-token users how to get the method instead of asking for a role", () => {
    const hint = permissionHint(
      "the API token to be granted /metalstack.api.v2.ProjectService/List explicitly",
    );
    expect(hint).toContain("metalctl token create --permission");
    expect(hint).not.toContain("ask an owner");
  });
});
