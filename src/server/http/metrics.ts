import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { procedureOf } from "../interceptors/call-info.js";
import type { HttpRoute } from "./routes.js";

/** Upper bounds of the latency histogram, in seconds (Prometheus' conventional RPC buckets). */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** AuthzDecision is how authorization ended for one call, as the caller saw it. */
export type AuthzDecision = "allowed" | "unauthenticated" | "denied" | "rate_limited";

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** RpcMetrics counts RPCs by procedure, status code and decision, and their latency by procedure. */
export class RpcMetrics {
  private readonly requests = new Map<
    string,
    { procedure: string; code: string; decision: AuthzDecision; n: number }
  >();
  private readonly latency = new Map<string, Histogram>();

  /** observe records one finished call. */
  observe(procedure: string, code: Code | undefined, seconds: number): void {
    const codeName = code === undefined ? "ok" : codeLabel(code);
    const decision = decisionOf(code);
    const key = `${procedure}\u0000${codeName}`;
    const entry = this.requests.get(key);
    if (entry) entry.n++;
    else this.requests.set(key, { procedure, code: codeName, decision, n: 1 });
    let h = this.latency.get(procedure);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latency.set(procedure, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) (h.counts[i] as number)++;
    h.sum += seconds;
    h.count++;
  }

  /** render returns the Prometheus text exposition format (version 0.0.4). */
  render(): string {
    const lines = [
      "# HELP metal_rpc_requests_total RPCs handled, by procedure, status code and authorization decision.",
      "# TYPE metal_rpc_requests_total counter",
    ];
    for (const r of [...this.requests.values()].sort(byProcedure)) {
      lines.push(
        `metal_rpc_requests_total{procedure="${esc(r.procedure)}",code="${r.code}",decision="${r.decision}"} ${r.n}`,
      );
    }
    lines.push(
      "# HELP metal_rpc_duration_seconds Time from receiving an RPC to its response (first message for streams).",
      "# TYPE metal_rpc_duration_seconds histogram",
    );
    for (const [procedure, h] of [...this.latency.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const p = esc(procedure);
      BUCKETS.forEach((le, i) => {
        lines.push(`metal_rpc_duration_seconds_bucket{procedure="${p}",le="${le}"} ${h.counts[i]}`);
      });
      lines.push(`metal_rpc_duration_seconds_bucket{procedure="${p}",le="+Inf"} ${h.count}`);
      lines.push(`metal_rpc_duration_seconds_sum{procedure="${p}"} ${h.sum}`);
      lines.push(`metal_rpc_duration_seconds_count{procedure="${p}"} ${h.count}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

/**
 * metricsInterceptor times every RPC and counts its outcome. It sits outermost in the chain, so
 * refusals by rate limiting, authentication and authorization are counted with their decision.
 */
export function metricsInterceptor(metrics: RpcMetrics): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const procedure = procedureOf(req.method);
    try {
      const res = await next(req);
      metrics.observe(procedure, undefined, (performance.now() - started) / 1000);
      return res;
    } catch (err) {
      metrics.observe(procedure, ConnectError.from(err).code, (performance.now() - started) / 1000);
      throw err;
    }
  };
}

/** metricsRoutes serves `/metrics` in the Prometheus text format. */
export function metricsRoutes(metrics: RpcMetrics): HttpRoute[] {
  return [
    {
      prefix: "/metrics",
      handle(req, res) {
        if ((req.url ?? "").split("?")[0] !== "/metrics") {
          res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
          res.end("not found\n");
          return;
        }
        res.writeHead(200, {
          "content-type": "text/plain; version=0.0.4; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(metrics.render());
      },
    },
  ];
}

function decisionOf(code: Code | undefined): AuthzDecision {
  if (code === Code.Unauthenticated) return "unauthenticated";
  if (code === Code.PermissionDenied) return "denied";
  if (code === Code.ResourceExhausted) return "rate_limited";
  return "allowed";
}

function codeLabel(code: Code): string {
  // Code[code] is the enum name (e.g. "PermissionDenied"); Prometheus users expect snake_case.
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

function esc(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function byProcedure(a: { procedure: string; code: string }, b: { procedure: string; code: string }): number {
  return a.procedure.localeCompare(b.procedure) || a.code.localeCompare(b.code);
}
