import type { Paging } from "../../gen/metalstack/api/v2/common_pb.js";
import type { Database } from "../store/schema.js";
import type { ProjectRow, TenantRow } from "../store/tenancy-schema.js";
import type { Executor } from "./trx.js";
import { invalid } from "./validation.js";

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** Page is one page of a list plus the cursor of the next one (empty on the last page). */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

interface Cursor {
  size: number;
  after?: string;
}

// A page token is the base64url-encoded id of the last item of the previous page; ids are the sort key.
function cursor(paging: Paging | undefined): Cursor {
  const size = paging?.pageSize || DEFAULT_PAGE_SIZE;
  if (size > MAX_PAGE_SIZE) throw invalid("paging.page_size", `must be at most ${MAX_PAGE_SIZE}`);
  if (!paging?.pageToken) return { size };
  const after = Buffer.from(paging.pageToken, "base64url").toString("utf8");
  if (!after || Buffer.from(after, "utf8").toString("base64url") !== paging.pageToken) {
    throw invalid("paging.page_token", "is not a token from a previous response; start without one");
  }
  return { size, after };
}

function page<T extends { id: string }>(rows: T[], size: number): Page<T> {
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return {
    items,
    nextPageToken: rows.length > size && last ? Buffer.from(last.id, "utf8").toString("base64url") : "",
  };
}

/** ListedTable is a table operators page through by id. */
type ListedTable = "tenants" | "projects";

/** pageById reads one page of `table` in id order, keeping rows whose `equal` columns match; unset values do not filter. */
async function pageById<T extends ListedTable>(
  ex: Executor,
  table: T,
  equal: Partial<Record<keyof Database[T] & string, string>>,
  paging: Paging | undefined,
): Promise<Page<Database[T]>> {
  const c = cursor(paging);
  // Kysely cannot type a query on a generic table name; it sees both tables instead.
  const t: ListedTable = table;
  let q = ex.selectFrom(t).selectAll();
  for (const [column, value] of Object.entries(equal)) {
    if (value !== undefined) q = q.where(ex.dynamic.ref(column), "=", value);
  }
  if (c.after !== undefined) q = q.where("id", ">", c.after);
  const rows = await q
    .orderBy("id")
    .limit(c.size + 1)
    .execute();
  return page(rows as Database[T][], c.size);
}

/** listAllTenants pages through every tenant for operators, optionally by exact id or name. */
export function listAllTenants(
  ex: Executor,
  filter: { id?: string; name?: string },
  paging: Paging | undefined,
): Promise<Page<TenantRow>> {
  return pageById(ex, "tenants", { id: filter.id, name: filter.name }, paging);
}

/** listAllProjects pages through every project for operators, optionally of one tenant. */
export function listAllProjects(
  ex: Executor,
  filter: { tenant?: string },
  paging: Paging | undefined,
): Promise<Page<ProjectRow>> {
  return pageById(ex, "projects", { tenant_id: filter.tenant }, paging);
}
