import { create } from "@bufbuild/protobuf";
import { PagingSchema } from "../../src/gen/metalstack/api/v2/common_pb.js";
import type { IP } from "../../src/gen/metalstack/api/v2/ip_pb.js";
import type { Tx } from "../../src/server/catalog/resource-meta.js";
import { type IpFilter, listIpPage } from "../../src/server/ipam/ips.js";

/** allIps follows every page of the IP list, as the CLI does, and returns the IPs in list order. */
export async function allIps(trx: Tx, filter: IpFilter): Promise<IP[]> {
  const ips: IP[] = [];
  let pageToken = "";
  do {
    const page = await listIpPage(trx, filter, create(PagingSchema, { pageToken }));
    ips.push(...page.ips);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return ips;
}
