import type { AppContext } from "../context.js";
import type { PermissionTable } from "./permission-table.js";

const tables = new WeakMap<AppContext, PermissionTable>();

/** registerPermissionTable remembers the table the interceptors of a server enforce. */
export function registerPermissionTable(ctx: AppContext, table: PermissionTable): void {
  tables.set(ctx, table);
}

/** permissionTableOf returns the table a server enforces; services describing the API read it at request time. */
export function permissionTableOf(ctx: AppContext): PermissionTable {
  const table = tables.get(ctx);
  if (!table) throw new Error("permission table not built yet: createInterceptors must run first");
  return table;
}
