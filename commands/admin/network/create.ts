import { MetalCommand } from "../../../src/cli/base-command.js";
import { usageError } from "../../../src/cli/errors.js";
import type { Printable } from "../../../src/cli/output/printer.js";
import { fileFlag, requestFromFile } from "../../../src/cli/resources/common.js";
import { type NetworkRow, networkTree, networkView } from "../../../src/cli/resources/network.js";
import {
  NetworkService,
  NetworkServiceCreateRequestSchema,
} from "../../../src/gen/metalstack/admin/v2/network_pb.js";

/** AdminNetworkCreate creates a base network (internet, a partition's super network, an underlay) from a file. */
export default class AdminNetworkCreate extends MetalCommand<NetworkRow[]> {
  static override summary = "Create a base network from a file (operators).";
  static override description =
    "The file is the create request in the proto JSON mapping as YAML or JSON: id, type (e.g. NETWORK_TYPE_SUPER), partition, prefixes, and for super networks defaultChildPrefixLength.";
  static override examples = ["<%= config.bin %> admin network create -f super-network.yaml"];
  static override flags = { ...fileFlag };

  async run(): Promise<NetworkRow[]> {
    const { flags } = await this.parse(AdminNetworkCreate);
    if (!flags.file) {
      throw usageError(
        "admin network create: missing --file",
        "write the network as YAML, e.g. from describe -o yaml",
      );
    }
    const req = requestFromFile(NetworkServiceCreateRequestSchema, flags.file);
    return networkTree([(await this.deps.client(NetworkService).create(req)).network!]);
  }

  protected override present(items: NetworkRow[]): Printable<NetworkRow> {
    return { view: networkView, items, list: false };
  }
}
