import { Code, ConnectError } from "@connectrpc/connect";
import { type Expression, type SqlBool, sql } from "kysely";
import type { MachineQuery } from "../../gen/metalstack/api/v2/machine_pb.js";
import { formatAddress, parseAddress } from "../ipam/cidr.js";
import type { Dialect } from "../store/db.js";
import { jsonArrayHas, jsonKeyEquals } from "../store/json-filters.js";

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * machineConditions checks a machine query and turns it into SQL conditions on `table` (the machines
 * table or its alias). Every condition tests the row itself or looks up by index, so a project's
 * filtered list still walks only that project's machines.
 */
export function machineConditions(
  dialect: Dialect,
  query: MachineQuery | undefined,
  table = "machines",
): Expression<SqlBool>[] {
  if (!query) return [];
  const col = (name: string) => sql.ref(`${table}.${name}`);
  const eq = (name: string, value: string | number) => sql<SqlBool>`${col(name)} = ${value}`;
  const conditions: Expression<SqlBool>[] = [];
  if (query.uuid) conditions.push(eq("id", query.uuid.toLowerCase()));
  if (query.name) conditions.push(eq("name", query.name));
  if (query.partition) conditions.push(eq("partition", query.partition));
  if (query.size) conditions.push(eq("size", query.size));
  if (query.state) conditions.push(eq("state", query.state));
  if (query.rack) conditions.push(eq("rack", query.rack));
  if (query.hostname) conditions.push(eq("hostname", query.hostname));
  if (query.image) conditions.push(eq("image", query.image));
  if (query.network)
    conditions.push(jsonArrayHas(dialect, `${table}.allocation`, "networks", "network", query.network));
  if (query.ip) {
    const address = parseAddress(query.ip.trim());
    if (!address)
      throw new ConnectError(`query.ip: "${query.ip}" is not an IP address`, Code.InvalidArgument);
    conditions.push(
      sql<SqlBool>`${col("id")} in (select machine_id from ips where address = ${formatAddress(address)})`,
    );
  }
  if (query.mac) {
    const mac = query.mac.trim().toLowerCase().replaceAll("-", ":");
    if (!MAC.test(mac)) {
      throw new ConnectError(
        `query.mac: "${query.mac}" is not a MAC address like 00:1a:2b:3c:4d:5e`,
        Code.InvalidArgument,
      );
    }
    conditions.push(jsonArrayHas(dialect, `${table}.hardware`, "nics", "mac", mac, true));
  }
  for (const [key, value] of Object.entries(query.labels)) {
    conditions.push(jsonKeyEquals(dialect, `${table}.labels`, key, value));
  }
  return conditions;
}
