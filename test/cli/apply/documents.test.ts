import { describe, expect, it } from "vitest";
import { readDocuments } from "../../../src/cli/apply/documents.js";
import { CliError } from "../../../src/cli/errors.js";

const KINDS = ["ip", "network", "machine"];

describe("apply documents", () => {
  it("splits a file into documents with their kind, position and line", () => {
    const text = [
      "kind: IP",
      "name: gateway",
      "---",
      "",
      "---",
      "# a child network",
      "kind: network",
      "name: backend",
      "meta:",
      "  labels: {team: a}",
      "",
    ].join("\n");
    expect(readDocuments(text, "f.yaml", KINDS)).toEqual([
      { index: 1, line: 1, kind: "ip", body: { name: "gateway" } },
      { index: 3, line: 7, kind: "network", body: { name: "backend", meta: { labels: { team: "a" } } } },
    ]);
  });

  it.each([
    ["name: x", "f.yaml: document 1 (line 1) has no kind"],
    [
      "kind: ip\n---\nkind: router\n",
      'f.yaml: document 2 (line 3) has kind "router", which apply does not know',
    ],
    ["kind: ip\n---\n- a\n- b\n", "f.yaml: document 2 (line 3): expected an object with a kind"],
    [
      "kind: ip\n---\nkind: ip\nname: [unclosed\n",
      "f.yaml:5:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    ["", "f.yaml holds no documents"],
  ])("refuses %j naming the document", (text, message) => {
    let err: unknown;
    try {
      readDocuments(text, "f.yaml", KINDS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message.startsWith(message)).toBe(true);
  });

  it("lists the kinds it knows", () => {
    expect(() => readDocuments("kind: x", "-", KINDS)).toThrow(
      expect.objectContaining({ hint: "use one of: ip, network, machine" }),
    );
  });
});
