import { randomInt } from "node:crypto";

// Consonants only (RFC 8628 §6.1): no vowels, so no words; no look-alikes such as 0/O or 1/I.
const ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const LENGTH = 8;

/** generateUserCode returns a device-flow user code like "BDFG-HJKL" (20^8 ≈ 2.6·10^10 values). */
export function generateUserCode(): string {
  let code = "";
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** normalizeUserCode accepts what a person types (any case, spaces, dashes) and returns the canonical form, or undefined. */
export function normalizeUserCode(input: string): string | undefined {
  const chars = input.toUpperCase().replace(/[\s-]/g, "");
  if (chars.length !== LENGTH || [...chars].some((c) => !ALPHABET.includes(c))) return undefined;
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}
