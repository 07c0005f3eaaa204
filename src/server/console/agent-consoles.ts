import { create } from "@bufbuild/protobuf";
import {
  type AgentServiceConsolesRequest,
  type AgentServiceConsolesResponse,
  AgentServiceConsolesResponseSchema,
} from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { ConsoleHub } from "./console-hub.js";

/**
 * serveAgentConsoles attaches an agent to the consoles of `partition` for as long as its stream lasts:
 * it yields a confirmation without a session, then the sessions users open (and their keystrokes, sizes and closes) and hands the console
 * output of the agent's `requests` to the sessions' users. When the agent stops sending, its stream
 * breaks or `signal` aborts, every session on it ends for its user.
 */
export async function* serveAgentConsoles(
  hub: ConsoleHub,
  partition: string,
  requests: AsyncIterator<AgentServiceConsolesRequest>,
  signal: AbortSignal,
): AsyncGenerator<AgentServiceConsolesResponse> {
  const link = hub.attachAgent(partition);
  const detach = () => link.detach();
  signal.addEventListener("abort", detach);
  void (async () => {
    for (let n = await requests.next(); !n.done; n = await requests.next()) {
      if (n.value.output.length > 0) link.output(n.value.session, n.value.output);
      if (n.value.closed) link.closed(n.value.session);
    }
  })().then(detach, detach);
  try {
    yield create(AgentServiceConsolesResponseSchema);
    yield* link.commands;
  } finally {
    signal.removeEventListener("abort", detach);
    link.detach();
  }
}
