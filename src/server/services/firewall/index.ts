import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type FirewallService,
  FirewallServiceCreateResponseSchema,
  FirewallServiceDeleteResponseSchema,
  FirewallServiceGetResponseSchema,
  FirewallServiceListResponseSchema,
  FirewallServiceUpdateRulesResponseSchema,
} from "../../../gen/metalstack/api/v2/firewall_pb.js";
import type { AppContext } from "../../context.js";
import {
  createFirewall,
  deleteFirewall,
  getFirewall,
  listFirewalls,
  updateFirewallRules,
} from "../../firewalls/firewalls.js";
import { callerId } from "../../tenancy/caller.js";

/**
 * firewallService serves project-scoped firewall calls. The authorize interceptor has checked the
 * caller's role on `req.project`; every query here is scoped by that project.
 */
export function firewallService(ctx: AppContext): Partial<ServiceImpl<typeof FirewallService>> {
  return {
    async get(req) {
      return create(FirewallServiceGetResponseSchema, {
        firewall: await getFirewall(ctx, req.project, req.uuid),
      });
    },
    async create(req, context) {
      return create(FirewallServiceCreateResponseSchema, {
        firewall: await createFirewall(ctx, callerId(context), req),
      });
    },
    async list(req) {
      return create(
        FirewallServiceListResponseSchema,
        await listFirewalls(ctx, req.project, req.paging, req.query),
      );
    },
    async delete(req) {
      return create(FirewallServiceDeleteResponseSchema, {
        firewall: await deleteFirewall(ctx, req.project, req.uuid),
      });
    },
    async updateRules(req) {
      return create(FirewallServiceUpdateRulesResponseSchema, {
        firewall: await updateFirewallRules(ctx, req),
      });
    },
  };
}
