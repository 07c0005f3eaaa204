import { MetalCommand } from "../src/cli/base-command.js";
import { requireApiUrl } from "../src/cli/config/target.js";
import { CliError, ExitCode } from "../src/cli/errors.js";
import { healthDetail, serverHealth } from "../src/cli/resources/server-info.js";
import { ServiceStatus } from "../src/gen/metalstack/api/v2/health_pb.js";

/** Health prints the selected API server's health and exits 7 when it is unhealthy (no login needed). */
export default class Health extends MetalCommand<typeof Health> {
  static override summary = "Show the API server's health and its subsystems' (exit 7 when unhealthy).";
  static override examples = ["<%= config.bin %> health", "<%= config.bin %> health -o json"];

  async run(): Promise<void> {
    const apiUrl = requireApiUrl(this.deps.target());
    const health = await serverHealth(this.deps);
    this.print(healthDetail(apiUrl, health));
    if (health.status === ServiceStatus.UNHEALTHY)
      throw new CliError("the server is unhealthy", ExitCode.unavailable, "see the subsystems above");
  }
}
