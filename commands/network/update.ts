import { fromJson } from "@bufbuild/protobuf";
import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { usageError } from "../../src/cli/errors.js";
import { fileFlag, projectFlag, refArg } from "../../src/cli/flags.js";
import { readDocument } from "../../src/cli/resources/common.js";
import {
  type NetworkRow,
  network,
  networkUpdateFromDocument,
  networkUpdateRequest,
} from "../../src/cli/resources/network.js";
import { UpdateCommand } from "../../src/cli/verbs/update.js";
import {
  NetworkSchema,
  type NetworkServiceUpdateRequest,
} from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkUpdate changes a child network's name, description or labels, from flags or a describe file. */
export default class NetworkUpdate extends UpdateCommand<
  typeof NetworkUpdate,
  NetworkRow,
  NetworkServiceUpdateRequest
> {
  static override summary = "Change a network's name, description or labels.";
  static override args = {
    id: refArg(network, { description: "Network ID (not with -f).", optional: true }),
  };
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = network;

  protected override async request(project: string): Promise<NetworkServiceUpdateRequest> {
    const { flags } = this;
    if (flags.file) {
      const doc = readDocument(flags.file);
      const id = fromJson(NetworkSchema, doc, { ignoreUnknownFields: true }).id;
      const current = id ? (await network.get(this.deps, project, id)).network : undefined;
      return networkUpdateFromDocument(doc, project, current?.meta?.labels ?? {});
    }
    if (!this.args.id) throw usageError("network update: missing the network ID", "or pass -f FILE");
    return networkUpdateRequest(
      await this.itemId(),
      {
        name: flags.name,
        description: flags.description,
        labels: flags.labels,
        removeLabels: flags["remove-labels"],
      },
      project,
    );
  }
}
