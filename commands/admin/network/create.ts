import { adminNetwork } from "../../../src/cli/resources/admin-network.js";
import { createFromFileCommand } from "../../../src/cli/verbs/create.js";
import { NetworkServiceCreateRequestSchema } from "../../../src/gen/metalstack/admin/v2/network_pb.js";

/** admin network create -f FILE: a base network (internet, a partition's super network, an underlay). */
export default createFromFileCommand(adminNetwork, NetworkServiceCreateRequestSchema, {
  summary: "Create a base network from a file (operators).",
  description:
    "The file is the create request in the proto JSON mapping as YAML or JSON: id, type (e.g. NETWORK_TYPE_SUPER), partition, prefixes, and for super networks defaultChildPrefixLength.",
  examples: ["<%= config.bin %> admin network create -f super-network.yaml"],
});
