import type { IdpDeps } from "./deps.js";
import { hashPassword, passwordPolicyViolation, verifyPassword } from "./passwords.js";
import type { IdpUserRow } from "./tables.js";

/** LocalRole is a high-level role of a local user; the API maps it to its own roles at login. */
export type LocalRole = "cluster-admin" | "read-only" | "solution-admin";

/** LOCAL_ROLES lists every LocalRole. */
const LOCAL_ROLES: readonly LocalRole[] = ["cluster-admin", "read-only", "solution-admin"];

/** LocalUser is a local user as the rest of the code sees it; it never carries the password hash. */
export interface LocalUser {
  id: string;
  displayName: string;
  email: string;
  roles: LocalRole[];
  locked: boolean;
  mustChangePassword: boolean;
  failedLogins: number;
  /** Set while logins are refused after repeated failures. */
  blockedUntil?: Date;
  generation: number;
  createdAt: Date;
  updatedAt: Date;
}

/** LocalUserError is a refused change; `field` names the input at fault. */
export class LocalUserError extends Error {
  constructor(
    message: string,
    readonly kind: "invalid" | "exists" | "not-found" | "conflict",
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Failures allowed before the back-off starts. */
export const FREE_FAILED_LOGINS = 5;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 60 * 60_000;

const USER_ID = /^[a-z0-9][a-z0-9._-]{1,63}$/;

function toLocalUser(row: IdpUserRow): LocalUser {
  const roles = (JSON.parse(row.roles) as string[]).filter((r): r is LocalRole =>
    LOCAL_ROLES.includes(r as LocalRole),
  );
  return {
    id: row.id,
    displayName: row.display_name,
    email: row.email,
    roles,
    locked: row.locked === 1,
    mustChangePassword: row.must_change_password === 1,
    failedLogins: row.failed_logins,
    ...(row.blocked_until ? { blockedUntil: new Date(row.blocked_until) } : {}),
    generation: row.generation,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** validateUserId refuses login names that are not lower-case letters, digits, '.', '_' or '-'. */
function validateUserId(id: string): void {
  if (!USER_ID.test(id)) {
    throw new LocalUserError(
      `id "${id}" is not a valid login name: use 2-64 lower-case letters, digits, '.', '_' or '-'`,
      "invalid",
      "id",
    );
  }
}

function checkPassword(password: string, userId: string): void {
  const violation = passwordPolicyViolation(password, userId);
  if (violation) throw new LocalUserError(`password: ${violation}`, "invalid", "password");
}

/** NewLocalUser describes a user to create. */
export interface NewLocalUser {
  id: string;
  displayName: string;
  email: string;
  roles: LocalRole[];
  password: string;
  /** Defaults to true: an initial password is known to an operator, so the user replaces it. */
  mustChangePassword?: boolean;
  /** Skip the password policy (only for generated one-time passwords). */
  generated?: boolean;
}

/** createLocalUser stores a new user with an argon2id hash of its password. */
export async function createLocalUser(deps: IdpDeps, u: NewLocalUser): Promise<LocalUser> {
  validateUserId(u.id);
  if (!u.generated) checkPassword(u.password, u.id);
  const now = deps.now().toISOString();
  const row: IdpUserRow = {
    id: u.id,
    display_name: u.displayName,
    email: u.email,
    password_hash: await hashPassword(u.password),
    must_change_password: u.mustChangePassword === false ? 0 : 1,
    roles: JSON.stringify([...new Set(u.roles)]),
    locked: 0,
    failed_logins: 0,
    blocked_until: "",
    generation: 1,
    created_at: now,
    updated_at: now,
  };
  const inserted = await deps.db
    .insertInto("idp_users")
    .values(row)
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) throw new LocalUserError(`user "${u.id}" already exists`, "exists", "id");
  return toLocalUser(row);
}

/** getLocalUser returns a user, or undefined when there is none with that id. */
export async function getLocalUser(deps: IdpDeps, id: string): Promise<LocalUser | undefined> {
  const row = await deps.db.selectFrom("idp_users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toLocalUser(row) : undefined;
}

/** listLocalUsers returns all users ordered by id. */
export async function listLocalUsers(deps: IdpDeps): Promise<LocalUser[]> {
  const rows = await deps.db.selectFrom("idp_users").selectAll().orderBy("id").execute();
  return rows.map(toLocalUser);
}

/** countLocalUsers tells how many local users exist. */
export async function countLocalUsers(deps: IdpDeps): Promise<number> {
  const row = await deps.db
    .selectFrom("idp_users")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** LocalUserChange lists the fields to change; undefined fields stay. */
export interface LocalUserChange {
  displayName?: string;
  email?: string;
  roles?: LocalRole[];
  locked?: boolean;
  /** Expected generation; 0 or undefined skips the check. */
  generation?: number;
}

/** updateLocalUser applies a change with optimistic locking on the generation. */
export async function updateLocalUser(
  deps: IdpDeps,
  id: string,
  change: LocalUserChange,
): Promise<LocalUser> {
  const current = await deps.db.selectFrom("idp_users").selectAll().where("id", "=", id).executeTakeFirst();
  if (!current) throw new LocalUserError(`user "${id}" does not exist`, "not-found", "id");
  if (change.generation && change.generation !== current.generation) {
    throw new LocalUserError(`user "${id}" was changed by someone else; read it again`, "conflict");
  }
  const set: Partial<IdpUserRow> = {
    generation: current.generation + 1,
    updated_at: deps.now().toISOString(),
  };
  if (change.displayName !== undefined) set.display_name = change.displayName;
  if (change.email !== undefined) set.email = change.email;
  if (change.roles !== undefined) set.roles = JSON.stringify([...new Set(change.roles)]);
  if (change.locked !== undefined) {
    set.locked = change.locked ? 1 : 0;
    if (!change.locked) {
      set.failed_logins = 0;
      set.blocked_until = "";
    }
  }
  const row = await deps.db
    .updateTable("idp_users")
    .set(set)
    .where("id", "=", id)
    .where("generation", "=", current.generation)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new LocalUserError(`user "${id}" was changed by someone else; read it again`, "conflict");
  return toLocalUser(row);
}

/**
 * setLocalPassword replaces a password (policy checked unless generated) and clears the failure
 * back-off; `mustChange` forces another change at the next login.
 */
export async function setLocalPassword(
  deps: IdpDeps,
  id: string,
  password: string,
  opts: { mustChange: boolean; generated?: boolean },
): Promise<LocalUser> {
  if (!opts.generated) checkPassword(password, id);
  const passwordHash = await hashPassword(password);
  const row = await deps.db
    .updateTable("idp_users")
    .set((eb) => ({
      password_hash: passwordHash,
      must_change_password: opts.mustChange ? 1 : 0,
      failed_logins: 0,
      blocked_until: "",
      generation: eb("generation", "+", 1),
      updated_at: deps.now().toISOString(),
    }))
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new LocalUserError(`user "${id}" does not exist`, "not-found", "id");
  return toLocalUser(row);
}

/** deleteLocalUser removes a user and returns it as it was. */
export async function deleteLocalUser(deps: IdpDeps, id: string): Promise<LocalUser> {
  const row = await deps.db.deleteFrom("idp_users").where("id", "=", id).returningAll().executeTakeFirst();
  if (!row) throw new LocalUserError(`user "${id}" does not exist`, "not-found", "id");
  return toLocalUser(row);
}

/** LoginResult is the outcome of a password check; failures carry no hint whether the user exists. */
export type LoginResult =
  | { ok: true; user: LocalUser }
  | { ok: false; reason: "invalid" | "locked" | "blocked"; retryAfter?: Date };

/** backoffMs is how long logins are refused after `failures` consecutive failures. */
export function backoffMs(failures: number): number {
  if (failures < FREE_FAILED_LOGINS) return 0;
  return Math.min(BASE_BACKOFF_MS * 2 ** (failures - FREE_FAILED_LOGINS), MAX_BACKOFF_MS);
}

/**
 * authenticateLocal checks a login. The argon2 verification runs on every path (unknown user,
 * locked, blocked) so the answer time does not tell them apart; while blocked or locked even the
 * right password is refused, which is what makes guessing pointless.
 */
export async function authenticateLocal(
  deps: IdpDeps,
  id: string,
  password: string,
  verify: typeof verifyPassword = verifyPassword,
): Promise<LoginResult> {
  const row = await deps.db.selectFrom("idp_users").selectAll().where("id", "=", id).executeTakeFirst();
  const matches = await verify(row?.password_hash, password);
  if (!row) return { ok: false, reason: "invalid" };
  const now = deps.now();
  if (row.locked === 1) return { ok: false, reason: "locked" };
  if (row.blocked_until && new Date(row.blocked_until) > now) {
    return { ok: false, reason: "blocked", retryAfter: new Date(row.blocked_until) };
  }
  if (!matches) {
    const updated = await deps.db
      .updateTable("idp_users")
      .set((eb) => ({ failed_logins: eb("failed_logins", "+", 1) }))
      .where("id", "=", id)
      .returning("failed_logins")
      .executeTakeFirst();
    const failures = updated?.failed_logins ?? 0;
    const wait = backoffMs(failures);
    if (wait > 0) {
      await deps.db
        .updateTable("idp_users")
        .set({ blocked_until: new Date(now.getTime() + wait).toISOString() })
        .where("id", "=", id)
        .execute();
    }
    return { ok: false, reason: "invalid" };
  }
  const ok = await deps.db
    .updateTable("idp_users")
    .set({ failed_logins: 0, blocked_until: "" })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, user: toLocalUser(ok) };
}
