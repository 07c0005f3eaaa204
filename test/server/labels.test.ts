import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { applyLabelUpdate, checkLabels, MAX_LABELS, mergeLabels } from "../../src/server/labels.js";

function refused(fn: () => unknown, message: string | RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConnectError);
  expect((err as ConnectError).code).toBe(Code.InvalidArgument);
  expect((err as ConnectError).rawMessage).toMatch(message);
}

const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));

describe("one label rule set for every resource", () => {
  it("accepts keys that survive shells, selectors and templates", () => {
    const ok = {
      a: "",
      "app.kubernetes.io/name": "web",
      "team_1-x": "x".repeat(1024),
      [`k${"x".repeat(253)}`]: "v",
    };
    expect(checkLabels(ok)).toEqual(ok);
    expect(checkLabels(many(MAX_LABELS))).toEqual(many(MAX_LABELS));
  });

  it("refuses bad keys, long values and too many labels, naming the field", () => {
    for (const key of ["", "-a", "a-", "has space", "a=b", "ümlaut", "x".repeat(256), "$(rm)"]) {
      refused(() => checkLabels({ [key]: "v" }, "labels"), /^labels: key ".*" must be 1-255 letters/);
    }
    refused(() => checkLabels({ a: "x".repeat(1025) }), /^labels: value of "a" is longer than 1024/);
    refused(() => checkLabels(many(MAX_LABELS + 1)), /^labels: at most 64 labels, got 65/);
  });

  it("merges an update: adds, replaces, removes; checks the update as labels.update", () => {
    expect(mergeLabels({ a: "1", b: "2" }, { update: { b: "3", c: "4" }, remove: ["a"] })).toEqual({
      b: "3",
      c: "4",
    });
    expect(mergeLabels({ a: "1" }, undefined)).toEqual({ a: "1" });
    refused(
      () => mergeLabels({}, { update: { "bad key": "x" }, remove: [] }),
      /^labels\.update: key "bad key"/,
    );
  });

  it("refuses an update that would leave more than 64 labels, but lets one shrink an old oversized set", () => {
    refused(() => mergeLabels(many(MAX_LABELS), { update: { extra: "1" }, remove: [] }), /would leave 65/);
    expect(
      Object.keys(mergeLabels(many(MAX_LABELS), { update: { extra: "1" }, remove: ["k0"] })),
    ).toHaveLength(MAX_LABELS);
  });

  it("applies an update to labels stored as JSON", () => {
    expect(JSON.parse(applyLabelUpdate('{"a":"1"}', { update: { b: "2" }, remove: ["a"] }))).toEqual({
      b: "2",
    });
    expect(applyLabelUpdate('{"a":"1"}', undefined)).toBe('{"a":"1"}');
  });
});
