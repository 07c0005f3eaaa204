import { describe, expect, it } from "vitest";
import { image } from "../../../src/cli/resources/image.js";
import {
  machineFilterFlags,
  machineFilterRefs,
  networkRef,
} from "../../../src/cli/resources/machine-filters.js";
import { network } from "../../../src/cli/resources/network.js";
import { partition } from "../../../src/cli/resources/partition.js";
import { size } from "../../../src/cli/resources/size.js";

describe("machine filters", () => {
  it("complete each reference flag from the source its resource keeps (the modules load only on use)", () => {
    for (const [flag, resource] of [
      ["partition", partition],
      ["size", size],
      ["image", image],
    ] as const) {
      const declared = (machineFilterFlags[flag] as unknown as { completion: unknown }).completion;
      expect(declared, flag).toEqual({ kind: resource.ref.kind, scope: resource.ref.scope });
    }
  });

  it("load the resources the reference flags are looked up in", async () => {
    expect(await machineFilterRefs.partition()).toBe(partition);
    expect(await machineFilterRefs.size()).toBe(size);
    expect(await machineFilterRefs.image()).toBe(image);
    expect(await networkRef()).toBe(network);
  });
});
