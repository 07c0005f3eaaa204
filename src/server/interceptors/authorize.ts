import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type Interceptor,
  type StreamRequest,
  type UnaryRequest,
} from "@connectrpc/connect";
import {
  type PermissionDeniedDetail,
  PermissionDeniedDetailSchema,
  Scope,
} from "../../gen/metalstack/api/v2/common_pb.js";
import { principalKey } from "../auth/principal.js";
import { decide } from "../authz/decide.js";
import { checkFilterSubjects } from "../authz/filter-subjects.js";
import type { MethodRule } from "../authz/permission-table.js";
import type { Tokens } from "../token/tokens.js";
import { unauthenticated } from "../token/tokens.js";
import { type CallInfo, callInfoKey } from "./call-info.js";

const MAX_SUBJECT_LENGTH = 128;

/** permissionDenied builds the refusal for a valid token lacking a permission, with the need as detail. */
export function permissionDenied(procedure: string, needed: string): ConnectError {
  const detail: PermissionDeniedDetail = create(PermissionDeniedDetailSchema, { method: procedure, needed });
  return new ConnectError(
    `permission denied: ${procedure} needs ${needed}`,
    Code.PermissionDenied,
    undefined,
    [{ desc: PermissionDeniedDetailSchema, value: detail }],
  );
}

/**
 * authorize checks the caller against the method's rule before the handler runs: deny by default,
 * Unauthenticated without a token, PermissionDenied without the role. A project the caller cannot
 * see gets the same answer whether it exists or not; a list filter naming a project or tenant that
 * does not exist or is not visible is NotFound. Streams are checked on every request message.
 */
export function authorize(tokens: Tokens): Interceptor {
  return (next) => (req) => {
    const info = req.contextValues.get(callInfoKey) as CallInfo;
    // A public method has nothing to check: the call goes on in the same tick.
    if (info.rule?.scope === Scope.PUBLIC) return next(req);
    return authorized(tokens, info, req, next);
  };
}

/** authorized checks a call to a method that is not public; a method missing from the table is refused. */
async function authorized<R>(
  tokens: Tokens,
  info: CallInfo,
  req: UnaryRequest | StreamRequest,
  next: (req: UnaryRequest | StreamRequest) => Promise<R>,
): Promise<R> {
  const rule = info.rule;
  if (!rule) throw permissionDenied(info.procedure, "a method that is exposed by this server");
  const principal = req.contextValues.get(principalKey);
  if (!principal || !info.token) {
    throw unauthenticated(`${info.procedure} needs a token, none was presented`);
  }
  const holdings = await tokens.memberships.holdings(principal.userId);
  if (!holdings) throw unauthenticated("the token's user no longer exists");
  const facts = {
    grants: info.token,
    holdings,
    projectTenant: (id: string) => tokens.memberships.projectTenant(id),
  };
  const check = async (message: MessageShape<DescMessage>) => {
    const subject = subjectOf(rule, message);
    info.subject = subject ?? "";
    if (rule.subjectField === "tenant") info.tenant = info.subject;
    if (rule.subjectField === "project" && subject) {
      info.project = subject;
      info.tenant = (await facts.projectTenant(subject)) ?? "";
    }
    const decision = await decide(rule, subject, facts);
    if (!decision.allowed) throw permissionDenied(rule.procedure, decision.needed);
    await checkFilterSubjects(rule, message, facts, tokens.memberships);
  };
  if (!req.stream) {
    await check(req.message);
    return next(req);
  }
  if (!rule.subjectField && rule.filters.length === 0) {
    await check(create(rule.method.input));
    return next(req);
  }
  // The first message decides before the handler starts; later ones are checked as they arrive.
  const it = req.message[Symbol.asyncIterator]();
  const first = await it.next();
  if (!first.done) await check(first.value);
  else if (!rule.subjectField) await check(create(rule.method.input));
  async function* checked() {
    if (first.done) return;
    yield first.value;
    for (let n = await it.next(); !n.done; n = await it.next()) {
      await check(n.value);
      yield n.value;
    }
  }
  return next({ ...req, message: checked() } as StreamRequest);
}

function subjectOf(rule: MethodRule, message: MessageShape<DescMessage>): string | undefined {
  if (!rule.subjectField) return undefined;
  const value = (message as unknown as Record<string, unknown>)[rule.subjectField];
  const subject = typeof value === "string" ? value : "";
  if (!subject) {
    throw new ConnectError(
      `${rule.subjectField}: required; name the ${rule.subjectField} this request is about`,
      Code.InvalidArgument,
    );
  }
  if (subject.length > MAX_SUBJECT_LENGTH || subject === "*") {
    throw new ConnectError(
      `${rule.subjectField}: "${subject.slice(0, 40)}" is not a valid ${rule.subjectField} id`,
      Code.InvalidArgument,
    );
  }
  return subject;
}
