import type { IdpDeps } from "./deps.js";
import { countLocalUsers, createLocalUser, type LocalUser, LocalUserError } from "./local-users.js";
import { generatePassword } from "./passwords.js";

/** SUPER_ADMIN_ID is the login name of the super-admin created on first start. */
export const SUPER_ADMIN_ID = "admin";

/**
 * ensureSuperAdmin creates the super-admin when there are no local users yet and hands its
 * one-time password to `print` exactly once; it returns the user when it created it. When several
 * replicas start at once, only the one whose insert wins prints.
 */
export async function ensureSuperAdmin(
  deps: IdpDeps,
  print: (text: string) => void,
): Promise<LocalUser | undefined> {
  if ((await countLocalUsers(deps)) > 0) return undefined;
  const password = generatePassword();
  let admin: LocalUser;
  try {
    admin = await createLocalUser(deps, {
      id: SUPER_ADMIN_ID,
      displayName: "Super admin",
      email: "",
      roles: ["cluster-admin"],
      password,
      mustChangePassword: true,
      generated: true,
    });
  } catch (err) {
    if (err instanceof LocalUserError && err.kind === "exists") return undefined;
    throw err;
  }
  print(
    `\nThe super-admin "${SUPER_ADMIN_ID}" was created with the one-time password\n\n    ${password}\n\nIt is shown only now. Log in with it (metalctl login); you will be asked to choose a new password.\n\n`,
  );
  return admin;
}
