import { fromJson } from "@bufbuild/protobuf";
import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { usageError } from "../../src/cli/errors.js";
import { fileFlag, projectFlag, refArg } from "../../src/cli/flags.js";
import { enumKeys, readDocument } from "../../src/cli/resources/common.js";
import { ip, ipUpdateFromDocument, ipUpdateRequest } from "../../src/cli/resources/ip.js";
import { UpdateCommand } from "../../src/cli/verbs/update.js";
import {
  type IP,
  IPSchema,
  type IPServiceUpdateRequest,
  IPTypeSchema,
} from "../../src/gen/metalstack/api/v2/ip_pb.js";

/** IPUpdate changes an IP's name, description, type or labels, from flags or a describe file. */
export default class IPUpdate extends UpdateCommand<typeof IPUpdate, IP, IPServiceUpdateRequest> {
  static override summary = "Change an IP address's name, description, type or labels.";
  static override args = { id: refArg(ip, { description: "IP ID (not with -f).", optional: true }) };
  static override flags = {
    ...projectFlag,
    ...fileFlag,
    name: Flags.string({ summary: "New name." }),
    description: Flags.string({ summary: "New description." }),
    type: Flags.string({ summary: "New type.", options: enumKeys(IPTypeSchema) }),
    labels: Flags.string({ summary: "Labels to set, key=value.", multiple: true }),
    "remove-labels": Flags.string({ summary: "Label keys to remove.", multiple: true }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = ip;

  protected override async request(project: string): Promise<IPServiceUpdateRequest> {
    const { flags } = this;
    if (flags.file) {
      const doc = readDocument(flags.file);
      const id = fromJson(IPSchema, doc, { ignoreUnknownFields: true }).id;
      const current = id ? await ip.get(this.deps, project, id) : undefined;
      return ipUpdateFromDocument(doc, project, current?.meta?.labels ?? {});
    }
    if (!this.args.id) throw usageError("ip update: missing the IP ID", "or pass -f FILE");
    return ipUpdateRequest(await this.itemId(), { ...flags, removeLabels: flags["remove-labels"] }, project);
  }
}
