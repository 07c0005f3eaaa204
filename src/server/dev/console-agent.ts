import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  AgentService,
  type AgentServiceConsolesRequestSchema,
  type AgentServiceConsolesResponse,
} from "../../gen/metalstack/infra/v2/agent_pb.js";
import { createBoundedQueue } from "../console/bounded-queue.js";
import type { Logger } from "../log.js";
import { createLoginConsole, type LoginConsole } from "./login-console.js";

const RECONNECT_MS = 1000;
const encoder = new TextEncoder();

/** ConsoleAgentOptions configure the simulated console agent. */
export interface ConsoleAgentOptions {
  baseUrl: string;
  /** Adds the agent's token to every call. */
  auth: Interceptor;
  /** Hostname a machine's login prompt shows; undefined for machines the simulator does not run. */
  hostnameOf(machine: string): string | undefined;
  signal: AbortSignal;
  log: Logger;
}

/** ConsoleAgent serves the consoles of the partitions it is told about until the signal aborts. */
export interface ConsoleAgent {
  /** serve starts serving a partition's consoles; calling it again for the same partition does nothing. */
  serve(partition: string): void;
  /** stopped resolves once every partition's stream has ended after the abort. */
  stopped(): Promise<void>;
}

type AgentMessage = MessageInitShape<typeof AgentServiceConsolesRequestSchema>;

/**
 * startConsoleAgent plays the consoles half of a provisioning agent: one bidirectional stream per
 * partition (HTTP/2), reopened when it breaks, on which every session the API opens gets a simulated
 * machine console that boots and offers a login prompt.
 */
export function startConsoleAgent(opts: ConsoleAgentOptions): ConsoleAgent {
  const client: Client<typeof AgentService> = createClient(
    AgentService,
    createConnectTransport({ baseUrl: opts.baseUrl, httpVersion: "2", interceptors: [opts.auth] }),
  );
  const loops = new Map<string, Promise<void>>();

  async function streamOnce(partition: string): Promise<void> {
    const outbox = createBoundedQueue<AgentMessage>(1 << 20, () => new Error("console output backlog"));
    const stop = () => outbox.end();
    opts.signal.addEventListener("abort", stop);
    const terminals = new Map<string, LoginConsole>();
    const open = (cmd: AgentServiceConsolesResponse) => {
      const hostname = opts.hostnameOf(cmd.machine);
      if (hostname === undefined) {
        outbox.push({ session: cmd.session, closed: true });
        return;
      }
      const write = (text: string) => {
        const output = encoder.encode(text);
        outbox.push({ session: cmd.session, output }, output.length);
      };
      const terminal = createLoginConsole(hostname, write);
      terminals.set(cmd.session, terminal);
      terminal.boot();
    };
    outbox.push({ partition });
    try {
      for await (const cmd of client.consoles(outbox, { signal: opts.signal })) {
        if (!cmd.session) continue;
        if (cmd.closed) terminals.delete(cmd.session);
        else if (cmd.machine) open(cmd);
        else if (cmd.input.length > 0) terminals.get(cmd.session)?.type(cmd.input);
      }
    } finally {
      opts.signal.removeEventListener("abort", stop);
      outbox.end();
    }
  }

  async function serveLoop(partition: string): Promise<void> {
    while (!opts.signal.aborted) {
      try {
        await streamOnce(partition);
      } catch (err) {
        if (opts.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
        opts.log.warn("simulator console stream broke", { partition, error: String(err) });
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          opts.signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, RECONNECT_MS);
        opts.signal.addEventListener("abort", done);
      });
    }
  }

  return {
    serve(partition) {
      if (!loops.has(partition)) loops.set(partition, serveLoop(partition));
    },
    async stopped() {
      await Promise.all(loops.values());
    },
  };
}
