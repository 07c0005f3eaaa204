import { lex, type Token, type TokenKind } from "./lex.js";
import type { Command, Node, Operand, Pipeline } from "./nodes.js";
import { TemplateError } from "./position.js";

/** Arity is how many arguments a template function takes (max is Infinity for variadic ones). */
export interface Arity {
  min: number;
  max: number;
}

type Stop = { kind: "eof" | "end" | "else"; pos: number };

/**
 * parse turns template source into nodes, checking at parse time what Go checks then (unknown
 * functions, undeclared variables, unbalanced blocks) and also argument counts, so a bad template
 * fails before any data is fetched or even when a list is empty.
 */
export function parse(source: string, arity: (name: string) => Arity | undefined): Node[] {
  return new Parser(source, lex(source), arity).template();
}

class Parser {
  private i = 0;
  private readonly vars = ["$"];
  private rangeDepth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly arity: (name: string) => Arity | undefined,
  ) {}

  template(): Node[] {
    const { nodes, stop } = this.list();
    if (stop.kind !== "eof") this.fail(`unexpected {{ ${stop.kind} }}`, stop.pos);
    return nodes;
  }

  private list(): { nodes: Node[]; stop: Stop } {
    const nodes: Node[] = [];
    for (;;) {
      const tok = this.next();
      if (tok.kind === "eof") return { nodes, stop: { kind: "eof", pos: tok.pos } };
      if (tok.kind === "text") {
        nodes.push({ kind: "text", text: tok.text });
        continue;
      }
      const word = this.peekNonSpace();
      if (word.kind !== "keyword") {
        nodes.push({ kind: "action", pos: word.pos, pipe: this.pipeline("command", "close") });
        continue;
      }
      this.nextNonSpace();
      switch (word.value) {
        case "end":
          this.expect("close", "end");
          return { nodes, stop: { kind: "end", pos: word.pos } };
        case "else":
          return { nodes, stop: { kind: "else", pos: word.pos } };
        case "if":
        case "with":
        case "range":
          nodes.push(this.control(word.value, word.pos));
          break;
        case "break":
        case "continue":
          if (this.rangeDepth === 0) this.fail(`{{ ${word.value} }} outside {{ range }}`, word.pos);
          this.expect("close", String(word.value));
          nodes.push({ kind: word.value, pos: word.pos });
          break;
        default:
          this.fail(`{{ ${word.value} }} is not supported: metalctl runs a single template`, word.pos);
      }
    }
  }

  private control(kind: "if" | "with" | "range", pos: number): Node {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, "close");
    const bodyMark = this.vars.length;
    if (kind === "range") this.rangeDepth++;
    const body = this.list();
    if (kind === "range") this.rangeDepth--;
    this.vars.length = bodyMark;
    let otherwise: Node[] | undefined;
    if (body.stop.kind === "eof") this.fail(`{{ ${kind} }} has no {{ end }}`, pos);
    if (body.stop.kind === "else") {
      const next = this.nextNonSpace();
      if (next.kind === "keyword" && (next.value === "if" || next.value === "with")) {
        if (next.value !== kind) this.fail(`{{ else ${next.value} }} cannot follow {{ ${kind} }}`, next.pos);
        otherwise = [this.control(next.value, next.pos)];
      } else if (next.kind === "close") {
        const rest = this.list();
        if (rest.stop.kind !== "end") {
          const found = rest.stop.kind === "eof" ? "end of template" : "a second {{ else }}";
          this.fail(`expected {{ end }} for {{ ${kind} }}, found ${found}`, rest.stop.pos);
        }
        otherwise = rest.nodes;
      } else this.fail(`unexpected ${describe(next)} after {{ else }}`, next.pos);
    }
    this.vars.length = mark;
    return { kind, pos, pipe, body: body.nodes, otherwise };
  }

  private pipeline(context: string, end: "close" | "rparen"): Pipeline {
    const start = this.peekNonSpace();
    const declarations = this.declarations(context);
    const pipe: Pipeline = { pos: start.pos, declarations, assign: false, commands: [] };
    if (declarations.length) {
      const op = this.nextNonSpace();
      pipe.assign = op.kind === "assign";
    }
    for (;;) {
      const next = this.peekNonSpace();
      if (next.kind === end && pipe.commands.length === 0)
        this.fail(`missing value for ${context}`, next.pos);
      pipe.commands.push(this.command(pipe.commands.length));
      const sep = this.nextNonSpace();
      if (sep.kind === end) break;
      if (sep.kind !== "pipe") this.fail(`unexpected ${describe(sep)} in ${context}`, sep.pos);
    }
    for (const d of declarations) {
      if (pipe.assign && !this.vars.includes(d.name)) this.fail(`undefined variable "${d.name}"`, d.pos);
      if (!pipe.assign) this.vars.push(d.name);
    }
    return pipe;
  }

  /** declarations reads `$x :=`, `$x =` or (in range) `$i, $e :=`; it leaves the operator unread. */
  private declarations(context: string): { name: string; pos: number }[] {
    const found: { name: string; pos: number }[] = [];
    const save = this.i;
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== "variable") break;
      this.nextNonSpace();
      const op = this.peekNonSpace();
      if (op.kind === "declare" || op.kind === "assign") {
        found.push({ name: v.text, pos: v.pos });
        if (op.kind === "assign" && found.length > 1) this.fail("only one variable can be assigned", op.pos);
        return found;
      }
      if (op.kind !== "comma") break;
      this.nextNonSpace();
      found.push({ name: v.text, pos: v.pos });
      if (context !== "range" || found.length > 1) this.fail(`too many declarations in ${context}`, op.pos);
    }
    if (found.length) this.fail(`expected := after the variables of ${context}`, this.peekNonSpace().pos);
    this.i = save;
    return [];
  }

  private command(stage: number): Command {
    const operands: Operand[] = [];
    for (;;) {
      const tok = this.peekNonSpace();
      if (tok.kind === "pipe" || tok.kind === "close" || tok.kind === "rparen") break;
      operands.push(this.operand());
      const after = this.peek();
      if (
        after.kind !== "space" &&
        after.kind !== "pipe" &&
        after.kind !== "close" &&
        after.kind !== "rparen"
      ) {
        this.fail(`unexpected ${describe(after)} in operand`, after.pos);
      }
    }
    const head = operands[0]!;
    if (head.kind === "literal" && head.value === null) this.fail("nil is not a command", head.pos);
    if (head.kind === "function") {
      const arity = this.arity(head.name)!;
      const given = operands.length - 1 + (stage > 0 ? 1 : 0);
      if (given < arity.min || given > arity.max) {
        const want =
          arity.min === arity.max
            ? `${arity.min}`
            : arity.max === Infinity
              ? `at least ${arity.min}`
              : `${arity.min} to ${arity.max}`;
        this.fail(`wrong number of args for ${head.name}: want ${want} got ${given}`, head.pos);
      }
    } else if (stage > 0) {
      this.fail(`${this.text(head)} is not a function, so it cannot take the piped value`, head.pos);
    } else if (operands.length > 1) {
      this.fail(`${this.text(head)} is not a function, so it takes no arguments`, operands[1]!.pos);
    }
    return { pos: head.pos, operands };
  }

  private operand(): Operand {
    const tok = this.nextNonSpace();
    const term = this.term(tok);
    const chain: string[] = [];
    while (this.peek().kind === "field") chain.push(String(this.next().value));
    if (!chain.length) return term;
    if (term.kind === "field" || term.kind === "variable" || term.kind === "group") {
      term.chain.push(...chain);
      return term;
    }
    if (term.kind === "function")
      this.fail(`write (${term.name} …).${chain.join(".")} to use a field of a result`, tok.pos);
    return this.fail(`unexpected . after ${this.text(term)}`, tok.pos);
  }

  private term(tok: Token): Operand {
    switch (tok.kind) {
      case "ident":
        if (!this.arity(String(tok.value))) this.fail(`function "${tok.value}" not defined`, tok.pos);
        return { kind: "function", pos: tok.pos, name: String(tok.value) };
      case "dot":
        return { kind: "dot", pos: tok.pos };
      case "field":
        return { kind: "field", pos: tok.pos, chain: [String(tok.value)] };
      case "variable":
        if (!this.vars.includes(tok.text)) this.fail(`undefined variable "${tok.text}"`, tok.pos);
        return { kind: "variable", pos: tok.pos, name: tok.text, chain: [] };
      case "nil":
        return { kind: "literal", pos: tok.pos, value: null };
      case "bool":
      case "number":
      case "string":
        return { kind: "literal", pos: tok.pos, value: tok.value! };
      case "lparen":
        return {
          kind: "group",
          pos: tok.pos,
          pipe: this.pipeline("parenthesized pipeline", "rparen"),
          chain: [],
        };
      default:
        return this.fail(`unexpected ${describe(tok)} in command`, tok.pos);
    }
  }

  private text(op: Operand): string {
    return op.kind === "literal" ? JSON.stringify(op.value) : this.source.slice(op.pos).split(/[\s|)]/)[0]!;
  }

  private expect(kind: TokenKind, context: string): void {
    const tok = this.nextNonSpace();
    if (tok.kind !== kind) this.fail(`unexpected ${describe(tok)} in ${context}`, tok.pos);
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private peekNonSpace(): Token {
    while (this.peek().kind === "space") this.i++;
    return this.peek();
  }

  private nextNonSpace(): Token {
    this.peekNonSpace();
    return this.next();
  }

  private fail(message: string, pos: number): never {
    throw new TemplateError(message, this.source, pos);
  }
}

function describe(tok: Token): string {
  if (tok.kind === "close") return "}}";
  if (tok.kind === "eof") return "end of template";
  return JSON.stringify(tok.text);
}
