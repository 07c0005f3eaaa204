import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type MethodService,
  MethodServiceListResponseSchema,
  MethodServiceTokenScopedListResponseSchema,
} from "../../../gen/metalstack/api/v2/method_pb.js";
import { type AccessFacts, decide } from "../../authz/decide.js";
import type { PermissionTable } from "../../authz/permission-table.js";
import type { AppContext } from "../../context.js";
import { callerOf } from "../token/caller.js";

/**
 * callableMethods lists what a token may call, per subject: "*" for methods without a subject (or
 * allowed on every subject), then each project and tenant the token or its user is tied to.
 */
async function callableMethods(
  ctx: AppContext,
  table: PermissionTable,
  facts: AccessFacts,
): Promise<{ subject: string; methods: string[] }[]> {
  const h = facts.holdings;
  const g = facts.grants;
  const tenants = new Set([...h.tenantRoles.keys(), ...Object.keys(g.tenantRoles)]);
  const projects = new Set([...h.projectRoles.keys(), ...Object.keys(g.projectRoles)]);
  if (tenants.size > 0) {
    const rows = await ctx.db.kysely
      .selectFrom("projects")
      .select("id")
      .where("tenant_id", "in", [...tenants])
      .execute();
    for (const r of rows) projects.add(r.id);
  }
  const subjects = new Set(g.permissions.map((p) => p.subject));
  const out: { subject: string; methods: string[] }[] = [];
  const star: string[] = [];
  for (const rule of table.rules.values()) {
    if ((await decide(rule, rule.subjectField ? "*" : undefined, facts)).allowed) star.push(rule.procedure);
  }
  out.push({ subject: "*", methods: star });
  const bySubject = async (field: "project" | "tenant", ids: Iterable<string>) => {
    for (const id of [...new Set([...ids, ...subjects])].sort()) {
      if (id === "*") continue;
      const methods: string[] = [];
      for (const rule of table.rules.values()) {
        if (rule.subjectField !== field || star.includes(rule.procedure)) continue;
        if ((await decide(rule, id, facts)).allowed) methods.push(rule.procedure);
      }
      if (methods.length > 0) out.push({ subject: id, methods });
    }
  };
  await bySubject("tenant", tenants);
  await bySubject("project", projects);
  return out;
}

/** methodService describes the API: every method with its rule, and what the presented token may call. */
export function methodService(ctx: AppContext): Partial<ServiceImpl<typeof MethodService>> {
  return {
    list() {
      const table = ctx.permissions;
      return create(MethodServiceListResponseSchema, {
        methods: [...table.rules.values()].map((r) => ({
          method: r.procedure,
          scope: r.scope,
          tenantRoles: r.tenantRoles,
          projectRoles: r.projectRoles,
          adminRoles: r.adminRoles,
          subjectField: r.subjectField ?? "",
        })),
      });
    },
    async tokenScopedList(_req, hc) {
      const caller = await callerOf(ctx, hc);
      const permissions = await callableMethods(ctx, ctx.permissions, caller.facts);
      return create(MethodServiceTokenScopedListResponseSchema, { permissions });
    },
  };
}
