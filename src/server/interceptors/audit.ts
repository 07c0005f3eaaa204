import { randomUUID } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { clientAddressKey } from "../auth/client-address.js";
import { principalKey } from "../auth/principal.js";
import type { PermissionTable } from "../authz/permission-table.js";
import type { AppContext } from "../context.js";
import type { AuditLogRow } from "../store/token-schema.js";
import { callInfoKey } from "./call-info.js";
import { redactRequest } from "./redact.js";

const FLUSH_MS = 250;
const FLUSH_ROWS = 200;

/** AuditWriter batches audit rows into the database so auditing does not cost a write per call. */
export interface AuditWriter {
  write(row: AuditLogRow): void;
  /** flush writes everything buffered; resolves when it is stored. */
  flush(): Promise<void>;
}

/** createAuditWriter writes batches every 250 ms or 200 rows, and once more on shutdown. */
export function createAuditWriter(ctx: AppContext): AuditWriter {
  let buffer: AuditLogRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const rows = buffer;
    buffer = [];
    if (rows.length > 0) {
      writing = writing.then(() =>
        ctx.db.kysely
          .insertInto("audit_log")
          .values(rows)
          .execute()
          .then(
            () => undefined,
            (err: Error) =>
              ctx.log.error("audit log write failed", { error: err.message, rows: rows.length }),
          ),
      );
    }
    return writing;
  };
  ctx.shutdown.addEventListener("abort", () => void flush(), { once: true });
  return {
    write(row) {
      buffer.push(row);
      if (buffer.length >= FLUSH_ROWS) void flush();
      else timer ??= setTimeout(flush, FLUSH_MS).unref();
    },
    flush,
  };
}

/** REQUEST_ID_HEADER carries the client's request ID; the server echoes it (or the entry's id) back. */
const REQUEST_ID_HEADER = "x-request-id";
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * audit records every authorization decision and outcome of audited methods — user, method, subject,
 * tenant, project, result code, duration, request ID — with the request redacted; denials included.
 */
export function audit(ctx: AppContext, table: PermissionTable, writer: AuditWriter): Interceptor {
  return (next) => async (req) => {
    const procedure = `/${req.service.typeName}/${req.method.name}`;
    const rule = table.rules.get(procedure);
    if (rule && !rule.audited) return next(req);
    const started = performance.now();
    const id = randomUUID();
    const sent = req.header.get(REQUEST_ID_HEADER);
    const requestId = sent && REQUEST_ID.test(sent) ? sent : id;
    const record = (code: string) => {
      const principal = req.contextValues.get(principalKey);
      const info = req.contextValues.get(callInfoKey);
      const row: AuditLogRow = {
        id,
        time: ctx.now().toISOString(),
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
      writer.write(row);
      ctx.log.debug("audit", { ...row, request: undefined });
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
      record(codeName(error.code));
      error.metadata.set(REQUEST_ID_HEADER, requestId);
      throw error;
    }
  };
}

/** codeName renders a Connect code the way the Connect protocol spells it, e.g. "permission_denied". */
export function codeName(code: Code): string {
  return (Code[code] ?? "unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
