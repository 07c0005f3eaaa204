import { MetalCommand } from "../src/cli/base-command.js";
import { serverVersion, type VersionReport, versionDetail } from "../src/cli/resources/server-info.js";

/** Version prints metalctl's version and the selected API server's (no login needed). */
export default class Version extends MetalCommand<typeof Version> {
  static override summary = "Show the versions of metalctl and of the selected API server.";
  static override examples = ["<%= config.bin %> version", "<%= config.bin %> version -o json"];

  async run(): Promise<VersionReport> {
    const report: VersionReport = { client: { version: this.config.version, node: process.version } };
    const apiUrl = this.deps.target().apiUrl;
    if (apiUrl) {
      report.apiUrl = apiUrl;
      try {
        report.server = await serverVersion(this.deps);
      } catch (err) {
        this.print(versionDetail({ client: report.client }));
        throw err;
      }
    }
    this.print(versionDetail(report));
    return report;
  }
}
