import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  FirewallProtocol,
  type FirewallRule,
  type FirewallRules,
  FirewallRulesSchema,
} from "../../gen/metalstack/api/v2/firewall_pb.js";
import { bitsOf, parseAddress } from "../ipam/cidr.js";

/** MAX_RULES is the largest number of rules per direction. */
const MAX_RULES = 256;
const MAX_COMMENT = 100;

/** RuleJson is one stored rule. */
interface RuleJson {
  protocol: number;
  ports: number[];
  cidrs: string[];
  comment: string;
}

/** RulesJson is the stored form of a firewall's rules. */
export interface RulesJson {
  egress: RuleJson[];
  ingress: RuleJson[];
}

function bad(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

function validCidr(cidr: string): boolean {
  const [addr, len, extra] = cidr.split("/");
  if (extra !== undefined || !addr || len === undefined || !/^\d{1,3}$/.test(len)) return false;
  const address = parseAddress(addr);
  return address !== undefined && Number(len) <= bitsOf(address.family);
}

function validateRule(field: string, rule: FirewallRule): RuleJson {
  if (rule.protocol !== FirewallProtocol.TCP && rule.protocol !== FirewallProtocol.UDP) {
    throw bad(`${field}.protocol: choose tcp or udp`);
  }
  if (rule.ports.length === 0) throw bad(`${field}.ports: name at least one port`);
  for (const [i, port] of rule.ports.entries()) {
    if (port < 1 || port > 65535) throw bad(`${field}.ports[${i}]: ${port} is not a port (1-65535)`);
  }
  if (rule.cidrs.length === 0) throw bad(`${field}.cidrs: name at least one CIDR such as 0.0.0.0/0`);
  for (const [i, cidr] of rule.cidrs.entries()) {
    if (!validCidr(cidr)) throw bad(`${field}.cidrs[${i}]: "${cidr}" is not a CIDR such as 10.0.0.0/8`);
  }
  if (rule.comment.length > MAX_COMMENT) {
    throw bad(`${field}.comment: at most ${MAX_COMMENT} characters`);
  }
  return {
    protocol: rule.protocol,
    ports: [...new Set(rule.ports)].sort((a, b) => a - b),
    cidrs: [...new Set(rule.cidrs)],
    comment: rule.comment,
  };
}

/** validateRules checks every rule (protocol, ports, CIDRs, comment) and returns their stored form. */
export function validateRules(field: string, rules: FirewallRules | undefined): RulesJson {
  const egress = rules?.egress ?? [];
  const ingress = rules?.ingress ?? [];
  if (egress.length > MAX_RULES) throw bad(`${field}.egress: at most ${MAX_RULES} rules`);
  if (ingress.length > MAX_RULES) throw bad(`${field}.ingress: at most ${MAX_RULES} rules`);
  return {
    egress: egress.map((r, i) => validateRule(`${field}.egress[${i}]`, r)),
    ingress: ingress.map((r, i) => validateRule(`${field}.ingress[${i}]`, r)),
  };
}

/** rulesToProto converts stored rules to their API form. */
export function rulesToProto(json: string): FirewallRules {
  const rules = JSON.parse(json) as RulesJson;
  return create(FirewallRulesSchema, rules);
}
