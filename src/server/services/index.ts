import type { ConnectRouter } from "@connectrpc/connect";
import { HealthService } from "../../gen/metalstack/api/v2/health_pb.js";
import { VersionService } from "../../gen/metalstack/api/v2/version_pb.js";
import type { AppContext } from "../context.js";
import { healthService } from "./health/index.js";
import { versionService } from "./version/index.js";

/**
 * registerServices wires every service implementation into the router. One line per service;
 * authorization is not done here but by the interceptors, from the proto annotations.
 */
export function registerServices(ctx: AppContext) {
  return (router: ConnectRouter) => {
    router.service(HealthService, healthService(ctx));
    router.service(VersionService, versionService());
  };
}
