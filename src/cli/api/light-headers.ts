// The CLI's Headers: Node defines the Fetch standard's Headers lazily, and its first use loads all of
// undici, which costs about as long as starting Node itself (on Node 22+ even looking at the global
// does). Connect builds every request and response around Headers and uses nothing else of undici, so
// the CLI bundle refers to this class wherever its code names the global Headers (esbuild's inject,
// scripts/bundle-cli.js); test/cli/api/light-headers.test.ts holds it to Node's own, operation by operation.

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;
const NOT_BYTE = /[\u0100-\uffff]/;

type Init = Iterable<Iterable<unknown>> | Record<string, unknown>;

function byteString(value: unknown, what: string): string {
  const s = String(value);
  if (NOT_BYTE.test(s)) throw new TypeError(`Headers: ${what} holds a character above U+00FF`);
  return s;
}

function headerName(name: unknown): string {
  const s = byteString(name, "a name");
  if (!TOKEN.test(s)) throw new TypeError(`Headers: "${s}" is not a valid header name`);
  return s.toLowerCase();
}

function headerValue(value: unknown): string {
  const s = byteString(value, "a value").replace(EDGE_WHITESPACE, "");
  if (FORBIDDEN_IN_VALUE.test(s)) throw new TypeError("Headers: a value holds NUL, CR or LF");
  return s;
}

/** LightHeaders is the Fetch standard's Headers class without undici: same names, values, order and errors. */
export class LightHeaders {
  readonly #values = new Map<string, string[]>();

  constructor(init?: Init) {
    if (init === undefined) return;
    if (typeof init !== "object" || init === null) {
      throw new TypeError("Headers: init must be a sequence of pairs or a record");
    }
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<unknown>>) {
        if (typeof pair !== "object" || pair === null || !(Symbol.iterator in pair)) {
          throw new TypeError("Headers: each item of a sequence init must be a [name, value] pair");
        }
        const items = [...pair];
        if (items.length !== 2) throw new TypeError("Headers: each pair must have exactly two items");
        this.append(items[0], items[1]);
      }
      return;
    }
    for (const key of Object.keys(init)) this.append(key, (init as Record<string, unknown>)[key]);
  }

  /** append adds a value; `get` then joins all values of the name with ", ". */
  append(name: unknown, value: unknown): void {
    const n = headerName(name);
    const v = headerValue(value);
    const list = this.#values.get(n);
    if (list) list.push(v);
    else this.#values.set(n, [v]);
  }

  /** delete removes every value of the name. */
  delete(name: unknown): void {
    this.#values.delete(headerName(name));
  }

  /** get returns the values of the name joined with ", ", or null. */
  get(name: unknown): string | null {
    return this.#values.get(headerName(name))?.join(", ") ?? null;
  }

  /** getSetCookie returns each Set-Cookie value on its own. */
  getSetCookie(): string[] {
    return [...(this.#values.get("set-cookie") ?? [])];
  }

  /** has tells whether the name has a value. */
  has(name: unknown): boolean {
    return this.#values.has(headerName(name));
  }

  /** set replaces every value of the name with one. */
  set(name: unknown, value: unknown): void {
    this.#values.set(headerName(name), [headerValue(value)]);
  }

  /** forEach calls `fn(value, name, headers)` in iteration order. */
  forEach(fn: (value: string, name: string, headers: this) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) fn.call(thisArg, value, name, this);
  }

  /** entries yields [name, value] sorted by name, each Set-Cookie value on its own. */
  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const list = this.#values.get(name) ?? [];
      if (name === "set-cookie") for (const v of list) yield [name, v];
      else yield [name, list.join(", ")];
    }
  }

  /** keys yields the names in iteration order. */
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  /** values yields the values in iteration order. */
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}

/** Headers is LightHeaders under the global's name, which the bundle's inject replaces the global with. */
export { LightHeaders as Headers };
