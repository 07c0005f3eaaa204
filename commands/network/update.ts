import { fromJson } from "@bufbuild/protobuf";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { usageError } from "../../src/cli/errors.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { fileFlag, projectOf, readDocument } from "../../src/cli/resources/common.js";
import {
  type NetworkRow,
  networkUpdateFromDocument,
  networkUpdateRequest,
  networkView,
} from "../../src/cli/resources/network.js";
import type { NetworkServiceUpdateRequest } from "../../src/gen/metalstack/api/v2/network_pb.js";
import { NetworkSchema, NetworkService } from "../../src/gen/metalstack/api/v2/network_pb.js";

/** NetworkUpdate changes a child network's name, description or labels, from flags or a describe file. */
export default class NetworkUpdate extends MetalCommand<NetworkRow> {
  static override summary = "Change a network's name, description or labels.";
  static override args = { id: Args.string({ description: "Network ID (not with -f)." }) };
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };

  async run(): Promise<NetworkRow> {
    const { args, flags } = await this.parse(NetworkUpdate);
    const project = projectOf(this.deps);
    const client = this.deps.client(NetworkService);
    let req: NetworkServiceUpdateRequest;
    if (flags.file) {
      const doc = readDocument(flags.file);
      const id = fromJson(NetworkSchema, doc, { ignoreUnknownFields: true }).id;
      const current = id ? (await client.get({ project, id })).network : undefined;
      req = networkUpdateFromDocument(doc, project, current?.meta?.labels ?? {});
    } else {
      if (!args.id) throw usageError("network update: missing the network ID", "or pass -f FILE");
      req = networkUpdateRequest(
        args.id,
        {
          name: flags.name,
          description: flags.description,
          labels: flags.labels,
          removeLabels: flags["remove-labels"],
        },
        project,
      );
    }
    return { network: (await client.update(req)).network!, branch: "" };
  }

  protected override present(r: NetworkRow): Printable<NetworkRow> {
    return { view: networkView, items: [r], list: false };
  }
}
