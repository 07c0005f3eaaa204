import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import {
  Code,
  ConnectError,
  createContextKey,
  type Interceptor,
  type StreamRequest,
  type UnaryRequest,
} from "@connectrpc/connect";
import { type AuditLogWriter, PENDING_CODE } from "../audit/audit-log-writer.js";
import { newAuditEntryId } from "../audit/entry-id.js";
import { clientAddressKey } from "../auth/client-address.js";
import { principalKey } from "../auth/principal.js";
import type { PermissionTable } from "../authz/permission-table.js";
import type { AppContext } from "../context.js";
import type { AuditLogRow } from "../store/token-schema.js";
import { unavailableFrom } from "../store/unavailable.js";
import { callInfoKey, procedureOf } from "./call-info.js";
import { redactRequest } from "./redact.js";

/** REQUEST_ID_HEADER carries the client's request ID; the server echoes it (or the entry's id) back. */
const REQUEST_ID_HEADER = "x-request-id";
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The audit row of the current call as far as it got, rendered with a code; set by `audit`. */
const auditRowKey = createContextKey<((code: string) => AuditLogRow) | undefined>(undefined, {
  description: "audit row",
});

const AUDIT_UNAVAILABLE = "the audit log cannot be written right now, so nothing was changed; retry shortly";

/**
 * audit records every authorization decision and outcome of audited methods — user, method, subject,
 * tenant, project, result code, duration, request ID — with the request redacted; denials included.
 * Outcomes are written in batches (AuditLogWriter), retried until stored; calls that change something
 * also have their row stored before they run (auditBeforeChange). While so many rows wait for an
 * unreachable database that memory would run out, audited calls are refused instead.
 */
export function audit(ctx: AppContext, table: PermissionTable, writer: AuditLogWriter): Interceptor {
  return (next) => (req) => {
    const procedure = procedureOf(req.method);
    const rule = table.rules.get(procedure);
    // A method that is not audited goes on in the same tick, without a row or a wait.
    if (rule && !rule.audited) return next(req);
    return audited(ctx, writer, procedure, req, next);
  };
}

/** audited runs one call of an audited method (or one missing from the table) and records its outcome. */
async function audited<R extends { header: Headers }>(
  ctx: AppContext,
  writer: AuditLogWriter,
  procedure: string,
  req: UnaryRequest | StreamRequest,
  next: (req: UnaryRequest | StreamRequest) => Promise<R>,
): Promise<R> {
  if (writer.full()) {
    ctx.log.error("audit log backlog full; call refused", { method: procedure });
    throw new ConnectError(AUDIT_UNAVAILABLE, Code.Unavailable);
  }
  const started = performance.now();
  const at = ctx.now();
  const time = at.toISOString();
  const id = newAuditEntryId(at.getTime());
  const sent = req.header.get(REQUEST_ID_HEADER);
  const requestId = sent && REQUEST_ID.test(sent) ? sent : id;
  const row = (code: string): AuditLogRow => {
    const principal = req.contextValues.get(principalKey);
    const info = req.contextValues.get(callInfoKey);
    return {
      id,
      time,
      user_id: principal?.userId ?? "",
      token_id: principal?.tokenId ?? "",
      method: procedure,
      subject: info?.subject ?? "",
      tenant: info?.tenant ?? "",
      project: info?.project ?? "",
      code,
      duration_ms: Math.round(performance.now() - started),
      client_address: req.contextValues.get(clientAddressKey),
      request_id: requestId,
      request: req.stream ? "{}" : redactRequest(req.method.input, req.message),
    };
  };
  req.contextValues.set(auditRowKey, row);
  const record = (code: string) => {
    const outcome = row(code);
    writer.record(outcome);
    ctx.log.debug("audit", { ...outcome, request: undefined });
  };
  try {
    if (sent !== null && requestId !== sent) {
      throw new ConnectError(
        `${REQUEST_ID_HEADER} header: 1 to 64 letters, digits, ".", "_", ":" or "-"; leave it out and the server makes one`,
        Code.InvalidArgument,
      );
    }
    const res = await next(req);
    record("ok");
    res.header.set(REQUEST_ID_HEADER, requestId);
    return res;
  } catch (err) {
    const error = ConnectError.from(err);
    // The client will see an unreachable store as unavailable (unavailableInterceptor), so record that.
    record(codeName(unavailableFrom(err) ? Code.Unavailable : error.code));
    error.metadata.set(REQUEST_ID_HEADER, requestId);
    throw error;
  }
}

/**
 * auditBeforeChange runs last, just before the handler of an audited method that may change something
 * (every method not marked `idempotency_level = NO_SIDE_EFFECTS`): it stores the call's audit row with
 * code "pending" and waits until it is committed, so no change happens without its row. When it cannot
 * be stored the call does not run and fails as unavailable; `audit` then records the outcome.
 */
export function auditBeforeChange(writer: AuditLogWriter): Interceptor {
  return (next) => (req) => {
    const row = req.contextValues.get(auditRowKey);
    if (!row || req.method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS) return next(req);
    return storedFirst(writer, row, req, next);
  };
}

async function storedFirst<R>(
  writer: AuditLogWriter,
  row: (code: string) => AuditLogRow,
  req: UnaryRequest | StreamRequest,
  next: (req: UnaryRequest | StreamRequest) => Promise<R>,
): Promise<R> {
  try {
    await writer.store(row(PENDING_CODE));
  } catch {
    throw new ConnectError(AUDIT_UNAVAILABLE, Code.Unavailable);
  }
  return next(req);
}

/** codeName renders a Connect code the way the Connect protocol spells it, e.g. "permission_denied". */
export function codeName(code: Code): string {
  return (Code[code] ?? "unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
