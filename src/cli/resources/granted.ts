import type { Token } from "../../gen/metalstack/api/v2/token_pb.js";
import type { Deps } from "../deps.js";
import { hasCode } from "../errors.js";

/**
 * orGranted is a SCOPE_SELF list (ProjectService/List, TenantService/List) as an API token sees it:
 * such a token may call the list only with an explicit grant, so when the server refuses it, the
 * items are those the token itself holds a role on (`granted` reads them from the token's own
 * record), each read with Get, which that role allows. Items the token cannot read (the owner lost
 * the role, the item is gone) are left out; a login session's refusal stays an error.
 */
export async function orGranted<T>(
  deps: Deps,
  list: () => Promise<T[]>,
  granted: (record: Token) => string[],
  get: (id: string) => Promise<T>,
): Promise<T[]> {
  try {
    return await list();
  } catch (err) {
    if (!hasCode(err, "PermissionDenied")) throw err;
    const record = await ownApiToken(deps);
    if (!record) throw err;
    const items = await Promise.all(
      granted(record).map((id) =>
        get(id).catch((e: unknown) => {
          if (hasCode(e, "PermissionDenied") || hasCode(e, "NotFound")) return undefined;
          throw e;
        }),
      ),
    );
    return items.filter((i): i is Awaited<T> => i !== undefined);
  }
}

const ownRecords = new WeakMap<Deps, Promise<Token | undefined>>();

/**
 * ownApiToken is the presented API token's own record (TokenService/GetCurrent), read at most once per
 * invocation; undefined without an API URL, without a usable token, or for a login session.
 */
export function ownApiToken(deps: Deps): Promise<Token | undefined> {
  let record = ownRecords.get(deps);
  if (!record) {
    record = readOwnRecord(deps);
    ownRecords.set(deps, record);
  }
  return record;
}

async function readOwnRecord(deps: Deps): Promise<Token | undefined> {
  const apiUrl = deps.target().apiUrl;
  if (!apiUrl) return undefined;
  const token = await deps
    .tokenSource()
    .token()
    .catch(() => undefined);
  if (!token) return undefined;
  // Loaded only on this path: most commands never need the token's own record.
  const { currentApiToken } = await import("../auth/login-setup.js");
  return currentApiToken(deps, apiUrl, token);
}
