import { create } from "@bufbuild/protobuf";
import {
  type Firewall,
  FirewallProtocolSchema,
  type FirewallRule,
  FirewallRuleSchema,
  type FirewallRules,
  FirewallRulesSchema,
  FirewallSchema,
  FirewallService,
  type FirewallServiceCreateRequest,
  FirewallServiceCreateRequestSchema,
  FirewallServiceUpdateRulesRequestSchema,
} from "../../gen/metalstack/api/v2/firewall_pb.js";
import { MachineProvisioningEventTypeSchema } from "../../gen/metalstack/api/v2/machine_pb.js";
import { allPages } from "../api/paging.js";
import { usageError } from "../errors.js";
import type { JsonValue } from "../output/printer.js";
import { age } from "../output/time.js";
import { date, enumKey, enumLabel, parseEnum, protoView, splitList } from "./common.js";
import {
  MACHINE_CREATE_PATHS,
  type MachineCreateInput,
  machineCreateRequest,
  machineName,
  machineStatus,
} from "./machine.js";
import { type MachineFilterInput, machineQuery } from "./machine-filters.js";
import { type Applies, completionOf, type Deletes, type Lists } from "./resource.js";

/** ruleText shows a rule in the flag format: "tcp 80,443 0.0.0.0/0 comment". */
export function ruleText(r: FirewallRule): string {
  return [enumKey(FirewallProtocolSchema, r.protocol), r.ports.join(","), r.cidrs.join(","), r.comment]
    .filter(Boolean)
    .join(" ");
}

/** firewallView shows firewalls like machines plus their networks and rule counts; wide lists the rules. */
export const firewallView = protoView(FirewallSchema, [
  { header: "ID", value: (f) => f.machine?.uuid ?? "" },
  { header: "Name", value: (f) => f.machine?.allocation?.name ?? "" },
  { header: "Partition", value: (f) => f.machine?.partition ?? "" },
  { header: "Size", value: (f) => f.machine?.size ?? "" },
  { header: "Image", value: (f) => f.machine?.allocation?.image ?? "" },
  {
    header: "Networks",
    value: (f) => (f.machine?.allocation?.networks ?? []).map((n) => n.network).join(","),
  },
  { header: "Egress", value: (f) => String(f.rules?.egress.length ?? 0) },
  { header: "Ingress", value: (f) => String(f.rules?.ingress.length ?? 0) },
  {
    header: "Last Event",
    value: (f) => enumLabel(MachineProvisioningEventTypeSchema, f.machine?.status?.lastEvent ?? 0) || "-",
  },
  {
    header: "Age",
    value: (f, now) => age(date(f.machine?.status?.lastEventTime), now),
    sortKey: (f) => date(f.machine?.status?.lastEventTime)?.getTime() ?? 0,
  },
  { header: "Status", value: (f) => (f.machine ? machineStatus(f.machine) : "-") },
  { header: "Egress Rules", value: (f) => (f.rules?.egress ?? []).map(ruleText).join("; "), wide: true },
  { header: "Ingress Rules", value: (f) => (f.rules?.ingress ?? []).map(ruleText).join("; "), wide: true },
]);

function parsePorts(text: string, where: string): number[] {
  const ports = text.split(",").map((p) => p.trim());
  return ports.map((p) => {
    if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) {
      throw usageError(`${where}: "${p}" is not a port`, "use ports 1-65535, comma separated, e.g. 80,443");
    }
    return Number(p);
  });
}

function parseCidrs(items: string[], where: string): string[] {
  if (items.length === 0 || items.some((c) => !c.includes("/"))) {
    throw usageError(
      `${where}: name CIDRs such as 0.0.0.0/0 or 10.0.0.0/8`,
      "separate several CIDRs with commas",
    );
  }
  return items;
}

/**
 * parseRuleSpec parses the flag format "PROTOCOL PORTS CIDRS [COMMENT]", e.g.
 * "tcp 80,443 0.0.0.0/0 web traffic"; ports and CIDRs are comma separated.
 */
export function parseRuleSpec(spec: string, flag: string): FirewallRule {
  const [protocol, ports, cidrs, ...comment] = spec.trim().split(/\s+/);
  if (!protocol || !ports || !cidrs) {
    throw usageError(
      `${flag}: "${spec}" is not a rule`,
      `write "PROTOCOL PORTS CIDRS [COMMENT]", e.g. ${flag} "tcp 443 0.0.0.0/0 https"`,
    );
  }
  return create(FirewallRuleSchema, {
    protocol: parseEnum(FirewallProtocolSchema, protocol, flag),
    ports: parsePorts(ports, flag),
    cidrs: parseCidrs(splitList([cidrs]), flag),
    comment: comment.join(" "),
  });
}

function ruleFromJson(v: JsonValue, where: string): FirewallRule {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw usageError(`${where}: expected a rule {protocol, ports, cidrs, comment}`);
  }
  const { protocol, ports, cidrs, comment, ...rest } = v;
  const unknown = Object.keys(rest);
  if (unknown.length)
    throw usageError(`${where}: unknown field ${unknown[0]}`, "use protocol, ports, cidrs, comment");
  if (typeof protocol !== "string") throw usageError(`${where}.protocol: write tcp or udp`);
  const portList = Array.isArray(ports)
    ? ports.map(String).join(",")
    : ports === undefined
      ? ""
      : String(ports);
  if (!portList) throw usageError(`${where}.ports: name at least one port`);
  if (!Array.isArray(cidrs) || cidrs.some((c) => typeof c !== "string")) {
    throw usageError(`${where}.cidrs: a list of CIDRs such as [0.0.0.0/0]`);
  }
  if (comment !== undefined && typeof comment !== "string") throw usageError(`${where}.comment: write text`);
  return create(FirewallRuleSchema, {
    protocol: parseEnum(FirewallProtocolSchema, protocol, `${where}.protocol`),
    ports: parsePorts(portList, `${where}.ports`),
    cidrs: parseCidrs(cidrs as string[], `${where}.cidrs`),
    comment: comment ?? "",
  });
}

/**
 * rulesFromDocument reads rules from a YAML/JSON document `{egress: [...], ingress: [...]}` whose
 * rules are `{protocol: tcp, ports: [443], cidrs: [0.0.0.0/0], comment: ...}`.
 */
export function rulesFromDocument(doc: JsonValue, file: string): FirewallRules {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw usageError(`${file}: expected {egress: [...], ingress: [...]}`);
  }
  const { egress, ingress, ...rest } = doc;
  const unknown = Object.keys(rest);
  if (unknown.length) throw usageError(`${file}: unknown field ${unknown[0]}`, "use egress and ingress");
  const list = (v: JsonValue | undefined, name: string) => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw usageError(`${file}: ${name} must be a list of rules`);
    return v.map((r, i) => ruleFromJson(r, `${file}: ${name}[${i}]`));
  };
  return create(FirewallRulesSchema, { egress: list(egress, "egress"), ingress: list(ingress, "ingress") });
}

/** combineRules adds the rules given by --egress/--ingress flags to those of a file (either may be absent). */
export function combineRules(
  fromFile: FirewallRules | undefined,
  egress: string[] | undefined,
  ingress: string[] | undefined,
): FirewallRules {
  return create(FirewallRulesSchema, {
    egress: [...(fromFile?.egress ?? []), ...(egress ?? []).map((s) => parseRuleSpec(s, "--egress"))],
    ingress: [...(fromFile?.ingress ?? []), ...(ingress ?? []).map((s) => parseRuleSpec(s, "--ingress"))],
  });
}

/**
 * firewallCreateRequest builds the create request from the flags and the rules (pure). A firewall
 * is allocated like a machine, so the machine's create input and builder supply everything but the rules.
 */
export function firewallCreateRequest(
  input: MachineCreateInput,
  rules: FirewallRules,
  project: string,
): FirewallServiceCreateRequest {
  const { $typeName: _, ...machine } = machineCreateRequest(input, project);
  return create(FirewallServiceCreateRequestSchema, { ...machine, rules });
}

/** firewallName is the name of a firewall for messages. */
export function firewallName(f: Firewall): string {
  return (f.machine && machineName(f.machine)) || f.machine?.uuid || "";
}

/**
 * firewall is the project's firewalls, named by the UUID of their machine. Their rules change
 * (UpdateRules, guarded by the rules generation); the machine part is fixed once allocated.
 */
export const firewall: Lists<Firewall, MachineFilterInput> &
  Deletes<Firewall> &
  Applies<
    Firewall,
    typeof FirewallServiceUpdateRulesRequestSchema,
    typeof FirewallServiceCreateRequestSchema
  > = {
  scope: "project",
  noun: "firewall",
  view: firewallView,
  editShape: (project, uuid) => ({
    request: FirewallServiceUpdateRulesRequestSchema,
    identity: { project, uuid },
    generation: "rulesGeneration",
  }),
  apply: {
    kind: "firewall",
    schema: FirewallSchema,
    idPath: "machine.uuid",
    namePath: "machine.allocation.name",
    createShape: (project) => ({
      request: FirewallServiceCreateRequestSchema,
      identity: { project },
      paths: {
        ...Object.fromEntries(Object.entries(MACHINE_CREATE_PATHS).map(([k, v]) => [k, `machine.${v}`])),
        partition: "machine.partition",
        size: "machine.size",
        labels: "machine.meta.labels",
      },
    }),
    named: (deps, project, name) => firewall.list(deps, project, { name }),
  },
  ref: {
    kind: "firewall",
    scope: "project",
    arg: "id",
    description: "Firewall (machine) ID.",
    candidate: (f) => ({
      value: f.machine?.uuid ?? "",
      description: f.machine ? machineName(f.machine) : "",
    }),
    names: (f) => [f.machine?.allocation?.name ?? "", f.machine?.allocation?.hostname ?? ""],
  },
  list: (deps, project, filters) => {
    const client = deps.client(FirewallService);
    const query = machineQuery(filters);
    return allPages(
      (paging) => client.list({ project, query, paging }),
      (res) => res.firewalls,
    );
  },
  get: async (deps, project, uuid) => (await deps.client(FirewallService).get({ project, uuid })).firewall!,
  create: async (deps, req) => (await deps.client(FirewallService).create(req)).firewall!,
  update: async (deps, req) => (await deps.client(FirewallService).updateRules(req)).firewall!,
  delete: async (deps, project, uuid) =>
    (await deps.client(FirewallService).delete({ project, uuid })).firewall!,
};

/** completion offers the project's firewall IDs. */
export const completion = completionOf(firewall);
