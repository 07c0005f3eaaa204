import { type DescMessage, fromJson, toJson } from "@bufbuild/protobuf";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { usageError } from "../../src/cli/errors.js";
import type { Detail, JsonValue } from "../../src/cli/output/printer.js";
import { apiRegistry, apiServices, findMethod, methodPath } from "../../src/cli/resources/api-methods.js";
import { readValue } from "../../src/cli/resources/common.js";

/** Api calls any unary RPC by name with the current credentials and prints the response as JSON. */
export default class Api extends MetalCommand<Detail> {
  static override summary = "Call any API method with the current credentials (prints JSON).";
  static override examples = [
    "<%= config.bin %> api metalstack.api.v2.UserService/Get",
    `<%= config.bin %> api MachineService/List --data '{"project":"…"}'`,
    "<%= config.bin %> api --list",
  ];
  static override args = {
    method: Args.string({ description: "SERVICE/METHOD, e.g. metalstack.api.v2.PartitionService/List." }),
  };
  static override flags = {
    data: Flags.string({
      char: "d",
      summary: "Request as JSON (proto JSON mapping), or @file / @- for stdin.",
    }),
    list: Flags.boolean({ summary: "List every method name instead of calling one." }),
  };

  async run(): Promise<Detail> {
    const { args, flags } = await this.parse(Api);
    if (flags.list) {
      const names = apiServices().flatMap((s) => s.methods.map(methodPath));
      return { json: names, text: () => `${names.join("\n")}\n` };
    }
    if (!args.method) throw usageError("api: missing SERVICE/METHOD", "or --list to see them");
    const method = findMethod(args.method);
    if (method.methodKind !== "unary") {
      throw usageError(
        `${methodPath(method)} is a ${method.methodKind} stream`,
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
    const input = parseInput(method.input, body);
    const client = this.deps.client(method.parent) as unknown as Record<
      string,
      (req: unknown) => Promise<unknown>
    >;
    const res = (await client[method.localName]!(input)) as Parameters<typeof toJson>[1];
    const json = toJson(method.output, res, { registry: apiRegistry }) as JsonValue;
    return { json, text: () => `${JSON.stringify(json, null, 2)}\n` };
  }

  protected override present(d: Detail): Detail {
    return d;
  }
}

function parseInput(schema: DescMessage, body: JsonValue) {
  try {
    return fromJson(schema, body, { registry: apiRegistry });
  } catch (err) {
    throw usageError(`--data does not fit ${schema.typeName}: ${(err as Error).message}`);
  }
}
