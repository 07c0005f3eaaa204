/** Operand is one word of a command: a function name, a field chain, a variable, a literal or a (pipeline). */
export type Operand =
  | { kind: "function"; pos: number; name: string }
  | { kind: "field"; pos: number; chain: string[] }
  | { kind: "variable"; pos: number; name: string; chain: string[] }
  | { kind: "dot"; pos: number }
  | { kind: "literal"; pos: number; value: string | number | boolean | null }
  | { kind: "group"; pos: number; pipe: Pipeline; chain: string[] };

/** Command is a function call or a single value; in a pipeline the previous result is its last argument. */
export interface Command {
  pos: number;
  operands: Operand[];
}

/** Pipeline is `$x := cmd | cmd …`; `assign` marks `$x = …`, which changes an existing variable. */
export interface Pipeline {
  pos: number;
  declarations: { name: string; pos: number }[];
  assign: boolean;
  commands: Command[];
}

/** Block is an if, with or range block; `otherwise` is its else branch (an `else if` is a nested block). */
export interface Block {
  kind: "if" | "with" | "range";
  pos: number;
  pipe: Pipeline;
  body: Node[];
  otherwise?: Node[];
}

/** Node is one part of a parsed template body. */
export type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pos: number; pipe: Pipeline }
  | Block
  | { kind: "break" | "continue"; pos: number };
