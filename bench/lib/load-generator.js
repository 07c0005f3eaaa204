// The load generator of bench/server-throughput.ts, in its own process: reads autocannon options
// as JSON on stdin (so the bearer token never shows in a process list), runs them, and prints the
// figures as one JSON line: requests/s, p50 and p99 in ms, and how many calls failed.
import autocannon from "autocannon";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const result = await autocannon(JSON.parse(input));
process.stdout.write(
  `${JSON.stringify({
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    failed: result.non2xx + result.errors + result.timeouts,
  })}\n`,
);
