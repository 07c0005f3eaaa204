import type { IdpDeps } from "../deps.js";
import { authenticateLocal } from "../local-users.js";
import { type Connector, INVALID_CREDENTIALS } from "./connector.js";

/** localConnector logs in the provider's own users; their roles appear as groups. */
export function localConnector(deps: IdpDeps): Connector {
  return {
    id: "local",
    name: "local account",
    async login(username, password) {
      const result = await authenticateLocal(deps, username.trim().toLowerCase(), password);
      if (result.ok) {
        const u = result.user;
        return {
          ok: true,
          account: {
            sub: u.id,
            name: u.displayName || u.id,
            email: u.email,
            groups: [...u.roles],
            mustChangePassword: u.mustChangePassword,
          },
        };
      }
      if (result.reason === "locked") {
        return { ok: false, message: "This account is locked. Ask an administrator to unlock it." };
      }
      if (result.reason === "blocked") {
        const minutes = Math.max(
          1,
          Math.ceil(((result.retryAfter?.getTime() ?? 0) - deps.now().getTime()) / 60_000),
        );
        return {
          ok: false,
          message: `Too many failed logins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        };
      }
      return { ok: false, message: INVALID_CREDENTIALS };
    },
  };
}
