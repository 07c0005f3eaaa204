import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to argon2id; the cost parameters follow the OWASP minimum (19 MiB, t=2).
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** MIN_PASSWORD_LENGTH is the shortest password the policy accepts. */
export const MIN_PASSWORD_LENGTH = 12;

/** hashPassword returns the argon2id PHC string of a password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

// A hash of a random string, verified against when the user is unknown, so a wrong user name costs
// the same time as a wrong password and the answer does not reveal which names exist.
let dummyHash: Promise<string> | undefined;

/**
 * verifyPassword checks a password against a stored hash; with no hash (unknown user) it still does
 * the same argon2 work and returns false.
 */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword(generatePassword());
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** passwordPolicyViolation returns why a new password is refused, or undefined when it is acceptable. */
export function passwordPolicyViolation(password: string, userId: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  }
  if (password.length > 256) return "the password must be at most 256 characters long";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) {
    return "the password must mix at least three of: lower case, upper case, digits, other characters";
  }
  if (userId && password.toLowerCase().includes(userId.toLowerCase())) {
    return "the password must not contain the user name";
  }
  return undefined;
}

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SYMBOLS = "-_.+";

/** generatePassword returns a random one-time password of 20 characters that satisfies the policy. */
export function generatePassword(): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const pick = (set: string) => set[randomInt(set.length)]!;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < 20) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
