import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { type ConsoleWindowSize, ConsoleWindowSizeSchema } from "../../gen/metalstack/api/v2/machine_pb.js";
import type { ConsoleHub } from "./console-hub.js";

const MAX_INPUT = 64 * 1024;
const MAX_DIMENSION = 4096;
const DEFAULT_SIZE = { columns: 80, rows: 24 };

/** ConsoleRequest is what both console RPCs' requests carry besides the machine they name. */
export interface ConsoleRequest {
  input: Uint8Array;
  windowSize?: ConsoleWindowSize;
}

function checkedSize(size: ConsoleWindowSize | undefined): ConsoleWindowSize {
  const s = size ?? create(ConsoleWindowSizeSchema, DEFAULT_SIZE);
  for (const [name, value] of [
    ["columns", s.columns],
    ["rows", s.rows],
  ] as const) {
    if (value < 1 || value > MAX_DIMENSION) {
      throw new ConnectError(
        `window_size.${name}: must be 1-${MAX_DIMENSION}, got ${value}`,
        Code.InvalidArgument,
      );
    }
  }
  return s;
}

function checkedInput(input: Uint8Array): Uint8Array {
  if (input.length > MAX_INPUT) {
    throw new ConnectError(`input: at most ${MAX_INPUT} bytes per message`, Code.InvalidArgument);
  }
  return input;
}

/**
 * relayConsole connects a user's console stream to the machine's console: it opens a session with
 * the first request's window size (80x24 when it names none), forwards the keystrokes and window
 * sizes of the first and the later requests, and yields the console's output. It ends when the agent
 * closes the session, the client stops sending, or `signal` aborts; a later request that `sameMachine`
 * refuses, or bad input, ends it with InvalidArgument.
 */
export async function* relayConsole<R extends ConsoleRequest>(
  hub: ConsoleHub,
  machine: { id: string; partition: string },
  first: R,
  rest: AsyncIterator<R>,
  sameMachine: (request: R) => boolean,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const size = checkedSize(first.windowSize);
  const firstInput = checkedInput(first.input);
  const session = hub.open(machine.id, machine.partition, size);
  const close = () => session.close();
  signal.addEventListener("abort", close);
  if (firstInput.length > 0) session.input(firstInput);
  void (async () => {
    for (let n = await rest.next(); !n.done; n = await rest.next()) {
      if (!sameMachine(n.value)) {
        throw new ConnectError(
          "console: every message of a console stream must name the machine the first one named",
          Code.InvalidArgument,
        );
      }
      if (n.value.windowSize) session.resize(checkedSize(n.value.windowSize));
      const input = checkedInput(n.value.input);
      if (input.length > 0) session.input(input);
    }
  })().then(close, (err: unknown) => session.fail(ConnectError.from(err)));
  try {
    yield* session.output;
  } finally {
    signal.removeEventListener("abort", close);
    session.close();
  }
}
