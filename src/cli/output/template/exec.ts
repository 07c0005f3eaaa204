import type { FunctionEnv, TemplateFunction } from "./arguments.js";
import { formatValue } from "./fmt.js";
import type { Block, Command, Node, Operand, Pipeline } from "./nodes.js";
import { TemplateError } from "./position.js";
import { isMap, sortedKeys, truth, typeName, type Value } from "./values.js";

const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");

/**
 * execute runs parsed nodes against data with Go's rules: `.` is the current value, `$` the
 * data, variables live until the `{{ end }}` of the block that declared them, and missing map
 * keys print as `<no value>`.
 */
export function execute(
  source: string,
  nodes: Node[],
  data: Value,
  functions: Record<string, TemplateFunction>,
  env: FunctionEnv,
): string {
  return new State(source, functions, env, data).run(nodes, data);
}

class State {
  private out = "";
  private readonly vars: { name: string; value: Value }[];

  constructor(
    private readonly source: string,
    private readonly functions: Record<string, TemplateFunction>,
    private readonly env: FunctionEnv,
    data: Value,
  ) {
    this.vars = [{ name: "$", value: data }];
  }

  run(nodes: Node[], dot: Value): string {
    this.walk(nodes, dot);
    return this.out;
  }

  private walk(nodes: Node[], dot: Value): void {
    for (const node of nodes) {
      switch (node.kind) {
        case "text":
          this.out += node.text;
          break;
        case "action": {
          const value = this.pipeline(node.pipe, dot);
          if (!node.pipe.declarations.length) this.out += value == null ? "<no value>" : formatValue(value);
          break;
        }
        case "if":
        case "with": {
          const mark = this.vars.length;
          const value = this.pipeline(node.pipe, dot);
          if (truth(value)) this.walk(node.body, node.kind === "with" ? value : dot);
          else if (node.otherwise) this.walk(node.otherwise, dot);
          this.vars.length = mark;
          break;
        }
        case "range":
          this.range(node, dot);
          break;
        case "break":
          throw BREAK;
        case "continue":
          throw CONTINUE;
      }
    }
  }

  private range(node: Block, dot: Value): void {
    const mark = this.vars.length;
    const value = this.pipeline(node.pipe, dot);
    const entries = this.entries(value, node.pos);
    const names = node.pipe.declarations;
    // The pipeline declared the range variables; each round sets them afresh.
    this.vars.length = mark;
    for (const [key, element] of entries) {
      const round = this.vars.length;
      if (names.length === 1) this.vars.push({ name: names[0]!.name, value: element });
      if (names.length === 2) {
        this.vars.push({ name: names[0]!.name, value: key });
        this.vars.push({ name: names[1]!.name, value: element });
      }
      try {
        this.walk(node.body, element);
      } catch (signal) {
        if (signal === BREAK) {
          this.vars.length = round;
          break;
        }
        if (signal !== CONTINUE) throw signal;
      }
      this.vars.length = round;
    }
    if (entries.length === 0 && node.otherwise) this.walk(node.otherwise, dot);
    this.vars.length = mark;
  }

  private entries(value: Value, pos: number): [Value, Value][] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((e, i) => [i, e]);
    if (isMap(value)) return sortedKeys(value).map((k) => [k, value[k]]);
    if (typeof value === "number" && Number.isInteger(value)) {
      return Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
    }
    return this.fail(`range can't iterate over ${typeName(value)} ${formatValue(value)}`, pos);
  }

  private pipeline(pipe: Pipeline, dot: Value): Value {
    let value: Value;
    pipe.commands.forEach((cmd, stage) => {
      value = this.command(cmd, dot, stage > 0 ? { value } : undefined);
    });
    for (const d of pipe.declarations) {
      if (!pipe.assign) this.vars.push({ name: d.name, value });
      else this.variable(d.name, d.pos).value = value;
    }
    return value;
  }

  private command(cmd: Command, dot: Value, piped: { value: Value } | undefined): Value {
    const [head, ...args] = cmd.operands;
    if (head!.kind !== "function") return this.operand(head!, dot);
    const fn = this.functions[head!.name]!;
    const thunks = args.map((a) => () => this.operand(a, dot));
    if (piped) thunks.push(() => piped.value);
    try {
      if (fn.lazy) return fn.lazy(thunks);
      return fn.call(
        thunks.map((t) => t()),
        this.env,
      );
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      return this.fail(`error calling ${head!.name}: ${(err as Error).message}`, head!.pos);
    }
  }

  private operand(op: Operand, dot: Value): Value {
    switch (op.kind) {
      case "function":
        return this.command({ pos: op.pos, operands: [op] }, dot, undefined);
      case "dot":
        return dot;
      case "literal":
        return op.value;
      case "field":
        return this.chain(dot, op.chain, op.pos);
      case "variable":
        return this.chain(this.variable(op.name, op.pos).value, op.chain, op.pos);
      case "group":
        return this.chain(this.pipeline(op.pipe, dot), op.chain, op.pos);
    }
  }

  /** chain follows `.a.b.c`; a missing key or a field of nothing is "no value", a field of a list or string is an error. */
  private chain(start: Value, chain: string[], pos: number): Value {
    let cur = start;
    for (const name of chain) {
      if (cur === undefined || cur === null) return undefined;
      if (!isMap(cur)) return this.fail(`can't evaluate field ${name} in type ${typeName(cur)}`, pos);
      cur = Object.hasOwn(cur, name) ? cur[name] : undefined;
    }
    return cur;
  }

  private variable(name: string, pos: number): { name: string; value: Value } {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!;
    return this.fail(`undefined variable: ${name}`, pos);
  }

  private fail(message: string, pos: number): never {
    throw new TemplateError(message, this.source, pos);
  }
}
