import http from "node:http";
import type { AddressInfo } from "node:net";

/** RoundRobin is a tiny HTTP/1.1 load balancer on loopback: each request goes to the next upstream. */
export interface RoundRobin {
  url: string;
  /** upstreams are base URLs like http://127.0.0.1:1234; set them once the replicas listen. */
  upstreams: string[];
  /** served counts the requests each upstream got, by index. */
  served: number[];
  close(): Promise<void>;
}

/** startRoundRobin listens on 127.0.0.1:<random> and forwards requests in turn, keeping the Host header. */
export async function startRoundRobin(): Promise<RoundRobin> {
  let next = 0;
  const lb: RoundRobin = {
    url: "",
    upstreams: [],
    served: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const i = next++ % lb.upstreams.length;
    lb.served[i] = (lb.served[i] ?? 0) + 1;
    const target = new URL(req.url ?? "/", lb.upstreams[i]);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  lb.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return lb;
}
