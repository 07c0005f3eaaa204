import net from "node:net";

/**
 * TcpProxy forwards a loopback port to a real server and can break the line in the two ways networks
 * do: `cut` drops every connection at once (the peer sees a reset), `stall` keeps every connection
 * open but silent (a partition, a frozen host: nobody sees anything until `restore`).
 */
export interface TcpProxy {
  port: number;
  /** cut drops every open connection and refuses new ones until `restore`. */
  cut(): void;
  /** stall stops forwarding in both directions and holds new connections unanswered until `restore`. */
  stall(): void;
  /** restore ends a cut or a stall; held and stalled connections go on with what they had buffered. */
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
}

/** startTcpProxy listens on 127.0.0.1:<random> and forwards each connection to 127.0.0.1:targetPort. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let state: "up" | "cut" | "stalled" = "up";
  const open = new Set<net.Socket>();
  const pairs = new Set<Pair>();
  const held: Pair[] = [];

  const track = (s: net.Socket, pair: Pair) => {
    open.add(s);
    s.on("close", () => {
      open.delete(s);
      pairs.delete(pair);
    });
    s.on("error", () => {
      pair.client.destroy();
      pair.upstream?.destroy();
    });
  };
  const connect = (pair: Pair) => {
    pair.upstream = net.connect({ host: "127.0.0.1", port: targetPort });
    track(pair.upstream, pair);
    pairs.add(pair);
    flow(pair.client, pair.upstream);
  };
  const flow = (client: net.Socket, upstream: net.Socket) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const server = net.createServer((client) => {
    if (state === "cut") {
      client.destroy();
      return;
    }
    const pair: Pair = { client };
    track(client, pair);
    // Paused sockets leave the bytes in the kernel, as a silent network would.
    if (state === "stalled") {
      client.pause();
      held.push(pair);
      return;
    }
    connect(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      state = "cut";
      for (const s of open) s.destroy();
      held.length = 0;
    },
    stall() {
      state = "stalled";
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    restore() {
      const wasStalled = state === "stalled";
      state = "up";
      if (!wasStalled) return;
      for (const { client, upstream } of pairs) if (upstream) flow(client, upstream);
      for (const pair of held.splice(0)) if (!pair.client.destroyed) connect(pair);
    },
    async close() {
      state = "cut";
      for (const s of open) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
