import { fromJson } from "@bufbuild/protobuf";
import { Args, Flags } from "@oclif/core";
import { MetalCommand } from "../../src/cli/base-command.js";
import { usageError } from "../../src/cli/errors.js";
import { projectFlag } from "../../src/cli/flags.js";
import type { Printable } from "../../src/cli/output/printer.js";
import { enumKeys, fileFlag, projectOf, readDocument } from "../../src/cli/resources/common.js";
import { ipUpdateFromDocument, ipUpdateRequest, ipView } from "../../src/cli/resources/ip.js";
import type { IPServiceUpdateRequest } from "../../src/gen/metalstack/api/v2/ip_pb.js";
import { type IP, IPSchema, IPService, IPTypeSchema } from "../../src/gen/metalstack/api/v2/ip_pb.js";

/** IPUpdate changes an IP's name, description, type or labels, from flags or a describe file. */
export default class IPUpdate extends MetalCommand<IP> {
  static override summary = "Change an IP address's name, description, type or labels.";
  static override args = { id: Args.string({ description: "IP ID (not with -f)." }) };
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    type: Flags.string({ summary: "New type.", options: enumKeys(IPTypeSchema) }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };

  async run(): Promise<IP> {
    const { args, flags } = await this.parse(IPUpdate);
    const project = projectOf(this.deps);
    const client = this.deps.client(IPService);
    let req: IPServiceUpdateRequest;
    if (flags.file) {
      const doc = readDocument(flags.file);
      const id = fromJson(IPSchema, doc, { ignoreUnknownFields: true }).id;
      const current = id ? (await client.get({ project, id })).ip : undefined;
      req = ipUpdateFromDocument(doc, project, current?.meta?.labels ?? {});
    } else {
      if (!args.id) throw usageError("ip update: missing the IP ID", "or pass -f FILE");
      req = ipUpdateRequest(args.id, { ...flags, removeLabels: flags["remove-labels"] }, project);
    }
    return (await client.update(req)).ip!;
  }

  protected override present(i: IP): Printable<IP> {
    return { view: ipView, items: [i], list: false };
  }
}
