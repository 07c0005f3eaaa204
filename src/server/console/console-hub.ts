import { randomUUID } from "node:crypto";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ConsoleWindowSize } from "../../gen/metalstack/api/v2/machine_pb.js";
import {
  type AgentServiceConsolesResponse,
  AgentServiceConsolesResponseSchema,
} from "../../gen/metalstack/infra/v2/agent_pb.js";
import { type BoundedQueue, createBoundedQueue } from "./bounded-queue.js";

// What a reader has not taken yet; beyond it the session ends instead of growing memory.
const MAX_BUFFERED = 1 << 20;

/** ConsoleSession is a user's end of one serial console. */
export interface ConsoleSession {
  /** What the console prints; ends when the agent closes the session, throws when the agent is gone. */
  output: AsyncIterable<Uint8Array>;
  input(data: Uint8Array): void;
  resize(size: ConsoleWindowSize): void;
  /** close tells the agent the user left; calling it again does nothing. */
  close(): void;
  /** fail ends the session with `error` for the user and closes it at the agent. */
  fail(error: Error): void;
}

/** AgentLink is an agent's end of the consoles of one partition. */
export interface AgentLink {
  /** Sessions to open, keystrokes, window sizes and closes, in order; ends on detach. */
  commands: AsyncIterable<AgentServiceConsolesResponse>;
  /** output delivers what a machine printed to the session's user; other agents' sessions are ignored. */
  output(session: string, data: Uint8Array): void;
  /** closed ends a session from the agent's side (console unreachable, machine gone). */
  closed(session: string): void;
  /** detach ends the link and every session on it; calling it again does nothing. */
  detach(): void;
}

type ConsoleCommand = MessageInitShape<typeof AgentServiceConsolesResponseSchema>;

interface Agent {
  partition: string;
  commands: BoundedQueue<AgentServiceConsolesResponse>;
  sessions: Map<string, BoundedQueue<Uint8Array>>;
}

const tooMuchOutput = () =>
  new ConnectError("console: output arrived faster than the client read it", Code.ResourceExhausted);
const tooMuchInput = () =>
  new ConnectError("console: the agent does not read the keystrokes sent to it", Code.Unavailable);

/**
 * ConsoleHub pairs users' console sessions with the agents that serve the consoles of each partition,
 * within this server process: a session goes to the agent of its machine's partition that attached
 * last.
 */
export class ConsoleHub {
  private readonly agents = new Map<string, Agent[]>();

  /** attachAgent registers an agent serving the consoles of `partition`. */
  attachAgent(partition: string): AgentLink {
    const agent: Agent = {
      partition,
      commands: createBoundedQueue(MAX_BUFFERED, tooMuchInput),
      sessions: new Map(),
    };
    this.agents.set(partition, [...(this.agents.get(partition) ?? []), agent]);
    const end = (session: string, error?: Error) => {
      agent.sessions.get(session)?.end(error);
      agent.sessions.delete(session);
    };
    return {
      commands: agent.commands,
      output: (session, data) => {
        const out = agent.sessions.get(session);
        if (out && !out.push(data, data.length)) {
          agent.sessions.delete(session);
          agent.commands.push(create(AgentServiceConsolesResponseSchema, { session, closed: true }));
        }
      },
      closed: (session) => end(session),
      detach: () => {
        const rest = (this.agents.get(partition) ?? []).filter((a) => a !== agent);
        if (rest.length > 0) this.agents.set(partition, rest);
        else this.agents.delete(partition);
        agent.commands.end();
        const gone = new ConnectError(
          `console: the agent of partition ${partition} went away`,
          Code.Unavailable,
        );
        for (const session of [...agent.sessions.keys()]) end(session, gone);
      },
    };
  }

  /**
   * open starts a session on the console of machine `machineId` in `partition`; Unavailable when no
   * agent serves that partition's consoles here.
   */
  open(machineId: string, partition: string, size: ConsoleWindowSize): ConsoleSession {
    const agent = this.agents.get(partition)?.at(-1);
    if (!agent) {
      throw new ConnectError(
        `console: no agent serves the consoles of partition ${partition} on this server; ` +
          "try again once the partition's agent is connected",
        Code.Unavailable,
      );
    }
    const session = randomUUID();
    const output = createBoundedQueue<Uint8Array>(MAX_BUFFERED, tooMuchOutput);
    agent.sessions.set(session, output);
    const send = (fields: Pick<ConsoleCommand, "machine" | "input" | "windowSize">, bytes = 0) =>
      agent.sessions.has(session) &&
      agent.commands.push(create(AgentServiceConsolesResponseSchema, { session, ...fields }), bytes);
    send({ machine: machineId, windowSize: size });
    const close = (error?: Error) => {
      if (!agent.sessions.has(session)) return;
      agent.sessions.delete(session);
      agent.commands.push(create(AgentServiceConsolesResponseSchema, { session, closed: true }));
      output.end(error);
    };
    return {
      output,
      input: (data) => send({ input: data }, data.length),
      resize: (windowSize) => send({ windowSize }),
      close: () => close(),
      fail: (error) => close(error),
    };
  }
}
