import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Completions, completionsOf, type Source } from "../../../src/cli/completion/source.js";
import { globalFlags, projectFlag } from "../../../src/cli/flags.js";
import { context } from "../../../src/cli/resources/context.js";
import { project } from "../../../src/cli/resources/project.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const files = (fs.readdirSync(path.join(ROOT, "commands"), { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts"))
  .sort();

type Declaring = { completion: Completions; flags?: object; baseFlags?: object; args?: object };

describe("completion sources declared on commands and flags", () => {
  it.each(files)("commands/%s carries the sources its flags and arguments declare", async (file) => {
    const cmd = (await import(path.join(ROOT, "commands", file))).default as Declaring;
    // A command that declares a source on a flag but not `static completion = completionsOf(this)`
    // would complete nothing for it; oclif copies this property into the manifest.
    expect(cmd.completion).toEqual(completionsOf(cmd));
    const sources: Source[] = [...Object.values(cmd.completion.flags), ...Object.values(cmd.completion.args)];
    for (const source of sources) {
      const module = await import(path.join(ROOT, "src/cli/resources", `${source.kind}.ts`));
      expect(module.completion?.candidates, `${source.kind} exports completion`).toBeTypeOf("function");
    }
  });

  it("the shared flags complete from the project and context resources", () => {
    const declared = (f: object) => (f as { completion: Source }).completion;
    expect(declared(projectFlag.project)).toEqual({ kind: project.ref.kind, scope: project.ref.scope });
    expect(declared(globalFlags.context)).toEqual({ kind: context.ref.kind, scope: context.ref.scope });
  });
});
