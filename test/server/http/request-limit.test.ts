import fs from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../../helpers/server-process.js";

// The server runs from the build (`npm run build` first) as its own process, so its memory can be
// measured: a 200 MB body must be refused without being held. Bodies are generated chunk by chunk.
const LIMIT = 1024 * 1024;
const HUGE = 200 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, " ");
const HEALTH = "/metalstack.api.v2.HealthService/Get";
// Generous: the unlimited server grew by more than the body (200 MB); a refusing one by next to nothing.
const MAX_GROWTH = 64 * 1024 * 1024;

let server: ServerProcess;
let dataDir: string;

/** memory reads the process's resident set now and its peak (VmHWM) from /proc, in bytes. */
function memory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

interface Answer {
  status: number;
  body: string;
  /** Body bytes written before the answer came (or the upload ended). */
  sent: number;
}

/**
 * upload POSTs a body of `total` bytes (a JSON object padded with spaces) over HTTP/1.1, but writes
 * only the first `writeAtMost` and then waits for the answer: a server that needed the whole body would
 * never answer. `declare` sends a Content-Length of `total`. With `flood`, it writes until answered and
 * counts a connection the server closed mid-upload as refused (the answer may be lost to the reset).
 */
function upload(
  urlPath: string,
  total: number,
  opts: { declare: boolean; writeAtMost?: number; contentType?: string; flood?: boolean },
): Promise<Answer> {
  const writeAtMost = Math.min(total, opts.writeAtMost ?? total);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {
      "content-type": opts.contentType ?? "application/json",
    };
    if (opts.declare) headers["content-length"] = total;
    const req = http.request(`${server.url}${urlPath}`, { method: "POST", headers, agent: false });
    let sent = 0;
    let answered = false;
    req.once("response", (res) => {
      answered = true;
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.once("close", () => {
        resolve({ status: res.statusCode ?? 0, body, sent });
        req.destroy();
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (answered) return;
      if (opts.flood && (err.code === "EPIPE" || err.code === "ECONNRESET"))
        resolve({ status: 0, body: "", sent });
      else reject(err);
    });
    req.flushHeaders();
    const pump = async () => {
      while (!answered && sent < writeAtMost) {
        const size = Math.min(CHUNK.length, writeAtMost - sent);
        const piece = sent === 0 ? Buffer.from("{}") : CHUNK.subarray(0, size);
        sent += piece.length;
        if (!req.write(piece)) await new Promise((r) => req.once("drain", r));
      }
      if (!answered && sent >= total) req.end();
    };
    void pump();
  });
}

/** grpcUpload sends one gRPC message whose length prefix says `total` bytes, and streams them. */
function grpcUpload(total: number, writeAtMost: number): Promise<{ grpcStatus: string; message: string }> {
  const session = http2.connect(server.url);
  session.on("error", () => {});
  return new Promise((resolve) => {
    const req = session.request({
      ":method": "POST",
      ":path": HEALTH,
      "content-type": "application/grpc",
      te: "trailers",
    });
    let answered = false;
    const finish = (grpcStatus: string, message: string) => {
      answered = true;
      resolve({ grpcStatus, message: decodeURIComponent(message) });
      session.destroy();
    };
    req.on("response", (h) => {
      if (h["grpc-status"]) finish(String(h["grpc-status"]), String(h["grpc-message"] ?? ""));
    });
    req.on("trailers", (t) => finish(String(t["grpc-status"]), String(t["grpc-message"] ?? "")));
    req.on("error", () => {
      if (!answered) finish("stream error", "");
    });
    req.resume();
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(total, 1);
    let sent = 0;
    const pump = () => {
      if (sent === 0 && !req.write(prefix)) return void req.once("drain", pump);
      while (!answered && sent < writeAtMost) {
        const piece = CHUNK.subarray(0, Math.min(CHUNK.length, writeAtMost - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!answered && sent >= total) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "metal-limit-"));
  server = await startServerProcess([
    "--listen",
    "127.0.0.1:0",
    "--data-dir",
    dataDir,
    "--max-request-bytes",
    String(LIMIT),
  ]);
});
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("request size limit (--max-request-bytes)", () => {
  it("accepts a request just under the limit", async () => {
    const answer = await upload(HEALTH, LIMIT - 1024, { declare: true });
    expect(answer.status).toBe(200);
  });

  it("refuses an RPC body over the limit as resource_exhausted before reading it, or once the count passes it", async () => {
    const declared = await upload(HEALTH, HUGE, { declare: true, writeAtMost: 0 });
    expect([declared.status, JSON.parse(declared.body).code]).toEqual([429, "resource_exhausted"]);
    expect(JSON.parse(declared.body).message).toContain(String(LIMIT));
    const chunked = await upload(HEALTH, HUGE, { declare: false, writeAtMost: LIMIT + 1 });
    expect([chunked.status, JSON.parse(chunked.body).code]).toEqual([429, "resource_exhausted"]);
    expect((await grpcUpload(HUGE, 0)).grpcStatus).toBe("8");
  });

  it.each([
    ["/auth/token", 16 * 1024 + 1],
    ["/idp/token", 56 * 1024 + 1],
  ])("refuses a %s body over the limit with 413, and a chunked one past the form limit with 4xx", async (route, formLimit) => {
    const form = "application/x-www-form-urlencoded";
    const declared = await upload(route, HUGE, { declare: true, writeAtMost: 0, contentType: form });
    expect([declared.status, JSON.parse(declared.body).error]).toEqual([413, "invalid_request"]);
    const chunked = await upload(route, HUGE, { declare: false, writeAtMost: formLimit, contentType: form });
    expect(chunked.status).toBeGreaterThanOrEqual(400);
    expect(chunked.status).toBeLessThan(500);
  });

  it("keeps memory flat while 200 MB bodies stream in, and keeps serving", async () => {
    const before = memory(server.pid);
    for (const route of [HEALTH, "/auth/token", "/idp/token"]) {
      for (const declare of [true, false]) {
        const flood = await upload(route, HUGE, { declare, flood: true, contentType: "application/json" });
        expect(flood.sent, `${route} declared=${declare}`).toBeLessThan(HUGE);
      }
    }
    const after = memory(server.pid);
    expect(after.peak - before.peak).toBeLessThan(MAX_GROWTH);
    expect(after.rss - before.rss).toBeLessThan(MAX_GROWTH);
    expect((await upload(HEALTH, 2, { declare: true })).status).toBe(200);
  });
});
