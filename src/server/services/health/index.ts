import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  type HealthService,
  HealthServiceGetResponseSchema,
  ServiceStatus,
  SubsystemHealthSchema,
} from "../../../gen/metalstack/api/v2/health_pb.js";
import type { AppContext } from "../../context.js";

/** healthService reports the database as a subsystem; the overall status is the worst of them. */
export function healthService(ctx: AppContext): Partial<ServiceImpl<typeof HealthService>> {
  return {
    async get() {
      const database = await ctx.db
        .ping()
        .then(() => create(SubsystemHealthSchema, { name: "database", status: ServiceStatus.HEALTHY }))
        .catch(() =>
          create(SubsystemHealthSchema, {
            name: "database",
            status: ServiceStatus.UNHEALTHY,
            message: "database unreachable",
          }),
        );
      const subsystems = [database];
      const status = subsystems.every((s) => s.status === ServiceStatus.HEALTHY)
        ? ServiceStatus.HEALTHY
        : ServiceStatus.UNHEALTHY;
      return create(HealthServiceGetResponseSchema, { status, subsystems });
    },
  };
}
