import type { AppContext } from "../context.js";
import type { HttpResponse, HttpRoute } from "./routes.js";

/** ReadinessCheck is one dependency the server needs to answer requests; `check` rejects when it is not usable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

/** readinessChecks lists what `/readyz` probes: the database, and Redis when one is configured. */
export function readinessChecks(ctx: AppContext): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [{ name: "database", check: () => ctx.db.ping() }];
  const redis = ctx.redis;
  if (redis) {
    checks.push({
      name: "redis",
      check: async () => {
        await redis.ping();
      },
    });
  }
  return checks;
}

/**
 * healthRoutes serves `/healthz` (the process is alive and serving HTTP) and `/readyz` (every
 * readiness check passes, else 503 naming the failing one) for load balancers and orchestrators.
 * Neither needs a token, and neither reveals more than the name of a failing dependency.
 */
export function healthRoutes(ctx: AppContext): HttpRoute[] {
  return [
    {
      prefix: "/healthz",
      handle(req, res) {
        if (!exact(req.url, "/healthz", res)) return;
        json(res, 200, { status: "ok" });
      },
    },
    {
      prefix: "/readyz",
      async handle(req, res) {
        if (!exact(req.url, "/readyz", res)) return;
        const results = await Promise.all(
          readinessChecks(ctx).map(async ({ name, check }) => {
            try {
              await withTimeout(check(), CHECK_TIMEOUT_MS);
              return [name, "ok"] as const;
            } catch (err) {
              ctx.log.warn("readiness check failed", { check: name, error: (err as Error).message });
              return [name, "unavailable"] as const;
            }
          }),
        );
        const ready = results.every(([, state]) => state === "ok");
        json(res, ready ? 200 : 503, {
          status: ready ? "ready" : "not ready",
          checks: Object.fromEntries(results),
        });
      },
    },
  ];
}

function exact(url: string | undefined, path: string, res: HttpResponse): boolean {
  const pathname = (url ?? "").split("?")[0];
  if (pathname === path) return true;
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
  res.end("not found\n");
  return false;
}

function json(res: HttpResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(`${JSON.stringify(body)}\n`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
