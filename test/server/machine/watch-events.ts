import { type Client, ConnectError } from "@connectrpc/connect";
import type {
  MachineProvisioningEventType,
  MachineService,
} from "../../../src/gen/metalstack/api/v2/machine_pb.js";

/** WatchedEvents is one running MachineService/Watch: the events so far and how the stream ended. */
export interface WatchedEvents {
  events: MachineProvisioningEventType[];
  /** saw resolves once `event` arrived; it rejects when the stream ends before. */
  saw(event: MachineProvisioningEventType): Promise<void>;
  /** Resolves with the error the stream ended with, undefined when it ended cleanly. */
  ended: Promise<ConnectError | undefined>;
}

/**
 * watchEvents watches a machine from the start of its allocation (so no event can slip by before the
 * stream is set up) and collects the events as they arrive.
 */
export function watchEvents(
  machines: Client<typeof MachineService>,
  project: string,
  uuid: string,
): WatchedEvents {
  const events: MachineProvisioningEventType[] = [];
  const waiters: (() => void)[] = [];
  let done = false;
  const ended = (async () => {
    try {
      for await (const res of machines.watch({ project, uuid, includeHistory: true })) {
        if (res.event) events.push(res.event.event);
        for (const w of waiters.splice(0)) w();
      }
      return undefined;
    } catch (err) {
      return ConnectError.from(err);
    } finally {
      done = true;
      for (const w of waiters.splice(0)) w();
    }
  })();
  const saw = async (event: MachineProvisioningEventType) => {
    while (!events.includes(event)) {
      if (done) throw new Error(`the watch ended before event ${event}: ${String(await ended)}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { events, saw, ended };
}
