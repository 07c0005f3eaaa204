import fs from "node:fs";
import { type Command, Flags, type Interfaces } from "@oclif/core";
import { type Applier, type ApplyResult, applier } from "../apply/apply.js";
import { readDocuments } from "../apply/documents.js";
import { MetalCommand } from "../base-command.js";
import { completionsOf } from "../completion/source.js";
import { type CliError, toCliError, usageError } from "../errors.js";
import { projectFlag } from "../flags.js";
import type { View } from "../output/printer.js";
import { projectIn } from "../resources/selected-project.js";
import type { Help } from "./resource-command.js";

/** applyResultView prints apply results as rows or, in JSON/YAML, as the result objects. */
const applyResultView: View<ApplyResult> = {
  columns: [
    { header: "Document", value: (r) => String(r.document) },
    { header: "Kind", value: (r) => r.kind },
    { header: "ID", value: (r) => r.id },
    { header: "Name", value: (r) => r.name },
    { header: "Result", value: (r) => r.result },
    { header: "Fields", value: (r) => r.fields.join(",") },
    { header: "Error", value: (r) => r.error ?? "" },
  ],
  toJson: (r) => ({ ...r }),
};

/** resultLine is the line a document's result prints as, e.g. "ip 2f6c… (gateway) updated: name". */
export function resultLine(r: ApplyResult): string {
  const what = [r.kind, r.id, r.name && r.name !== r.id ? `(${r.name})` : ""].filter(Boolean).join(" ");
  const verb =
    r.result === "failed"
      ? `failed: ${r.error}`
      : r.dryRun && r.result !== "unchanged"
        ? `would be ${r.result}`
        : r.result;
  return `${what} ${verb}${r.fields.length ? `: ${r.fields.join(", ")}` : ""}`;
}

type Appliable = Parameters<typeof applier>[0];

/**
 * applyCommand makes an `apply -f FILE` command for resources of one scope: every document of the
 * file (kinds among `resources`) is created when missing and updated when it differs, in file order,
 * with one result line each; the first failure stops the run unless --continue-on-error.
 */
export function applyCommand(resources: Appliable[], scope: "project" | "server", help: Help) {
  const appliers = new Map<string, Applier>(
    resources.map((r) => [r.apply.kind, applier(r)] as [string, Applier]),
  );
  const kinds = [...appliers.keys()];
  return class extends MetalCommand<typeof Command> {
    static override summary = help.summary;
    static override description = help.description;
    static override examples = help.examples ?? [];
    static override flags: Interfaces.FlagInput = {
      ...(scope === "project" ? projectFlag : {}),
      file: Flags.string({
        char: "f",
        summary: `YAML file of documents separated by ---, each with a kind (${kinds.join(", ")}); - for stdin.`,
        required: true,
      }),
      "dry-run": Flags.boolean({ summary: "Show what would be created and updated; change nothing." }),
      "continue-on-error": Flags.boolean({
        summary: "Apply the remaining documents after one fails (the exit code still tells).",
      }),
    };
    static override completion = completionsOf(this);

    async run(): Promise<ApplyResult[]> {
      const flags = this.flags as { file?: string; "dry-run"?: boolean; "continue-on-error"?: boolean };
      const file = flags.file ?? "-";
      const source = file === "-" ? "stdin" : file;
      const docs = readDocuments(await this.readFile(file), source, kinds);
      const project = await projectIn(this.deps, scope);
      const lines = this.outputFormat() === "table" || this.outputFormat() === "wide";
      const results: ApplyResult[] = [];
      let failure: CliError | undefined;
      for (const doc of docs) {
        let result: ApplyResult;
        try {
          result = await appliers.get(doc.kind)!.apply(this.deps, project, doc, flags["dry-run"] === true);
        } catch (err) {
          const e = toCliError(err);
          e.message = `${source}: document ${doc.index} (${doc.kind}, line ${doc.line}): ${e.message}`;
          failure ??= e;
          if (!flags["continue-on-error"]) break;
          this.note(`Error: ${e.message}${e.hint ? ` — ${e.hint}` : ""}`);
          result = {
            document: doc.index,
            line: doc.line,
            kind: doc.kind,
            id: "",
            name: "",
            result: "failed",
            fields: [],
            dryRun: flags["dry-run"] === true,
            error: e.message,
          };
        }
        results.push(result);
        if (lines) this.deps.io.stdout.write(`${resultLine(result)}\n`);
      }
      if (!lines) this.printList(applyResultView, results);
      if (failure) {
        if (flags["continue-on-error"]) {
          const failed = results.filter((r) => r.result === "failed").length;
          failure.message = `${failed} of ${docs.length} documents failed; the first: ${failure.message}`;
        }
        throw failure;
      }
      return results;
    }

    /** readFile reads the apply file, or stdin for "-". */
    private async readFile(file: string): Promise<string> {
      if (file !== "-") {
        try {
          return fs.readFileSync(file, "utf8");
        } catch (err) {
          throw usageError(`--file: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
        }
      }
      const chunks: Buffer[] = [];
      for await (const c of this.deps.io.stdin) chunks.push(Buffer.from(c as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    }
  };
}
