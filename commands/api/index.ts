import { type DescMessage, fromJson, type Registry, toJson } from "@bufbuild/protobuf";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { completeFrom, completionsOf } from "../../src/cli/completion/source.js";
import { usageError } from "../../src/cli/errors.js";
import type { JsonValue } from "../../src/cli/output/printer.js";
import { readValue } from "../../src/cli/resources/common.js";
import { loadApi, method, methodPath } from "../../src/cli/resources/method.js";

/** Api calls any unary RPC by name with the current credentials and prints the response as JSON. */
export default class Api extends MetalCommand<typeof Api> {
  static override summary = "Call any API method with the current credentials (prints JSON).";
  static override examples = [
    "<%= config.bin %> api metalstack.api.v2.UserService/Get",
    `<%= config.bin %> api MachineService/List --data '{"project":"…"}'`,
    "<%= config.bin %> api --list",
  ];
  static override args = {
    method: Args.string({
      description: "SERVICE/METHOD, e.g. metalstack.api.v2.PartitionService/List.",
      ...completeFrom(method),
    }),
  };
  static override flags = {
    data: Flags.string({
      char: "d",
      summary: "Request as JSON (proto JSON mapping), or @file / @- for stdin.",
    }),
    list: Flags.boolean({ summary: "List every method name instead of calling one." }),
  };
  static override completion = completionsOf(this);

  async run(): Promise<void> {
    const { args, flags } = this;
    const api = await loadApi();
    if (flags.list) {
      const names = api.services.flatMap((s) => s.methods.map(methodPath));
      this.print({ json: names, text: () => `${names.join("\n")}\n` });
      return;
    }
    if (!args.method) throw usageError("api: missing SERVICE/METHOD", "or --list to see them");
    const found = api.find(args.method);
    if (found.methodKind !== "unary") {
      throw usageError(
        `${methodPath(found)} is a ${found.methodKind} stream`,
        "only unary methods can be called",
      );
    }
    let body: JsonValue = {};
    if (flags.data) {
      try {
        body = JSON.parse(readValue(flags.data, "--data")) as JsonValue;
      } catch (err) {
        throw usageError(`--data is not JSON: ${(err as Error).message}`);
      }
    }
    const input = parseInput(found.input, body, api.registry);
    const client = this.deps.client(found.parent) as unknown as Record<
      string,
      (req: unknown) => Promise<unknown>
    >;
    const res = (await client[found.localName]!(input)) as Parameters<typeof toJson>[1];
    const json = toJson(found.output, res, { registry: api.registry }) as JsonValue;
    this.print({ json, text: () => `${JSON.stringify(json, null, 2)}\n` });
  }
}

function parseInput(schema: DescMessage, body: JsonValue, registry: Registry) {
  try {
    return fromJson(schema, body, { registry });
  } catch (err) {
    throw usageError(`--data does not fit ${schema.typeName}: ${(err as Error).message}`);
  }
}
