import type { Client } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { MachineProvisioningEventType, type MachineService } from "../../gen/metalstack/api/v2/machine_pb.js";
import { CliError, ExitCode } from "../errors.js";
import type { IO } from "../io.js";
import { escapeControls } from "../output/escape.js";
import { eventLabel, isFinalEvent } from "./machine.js";

/** WaitOptions say which machine to follow, for how long, and where to show progress. */
export interface WaitOptions {
  client: Client<typeof MachineService>;
  project: string;
  uuid: string;
  /** How progress lines name the machine, e.g. `3ae6d2bc-… (web-1)` (machineLabel). */
  label: string;
  timeoutMs: number;
  io: IO;
  now?: () => number;
}

/**
 * waitForPhonedHome follows the machine's provisioning events (Watch stream, history included) with
 * a live progress line on stderr until it phoned home; a crash or the timeout is a clear error.
 */
export async function waitForPhonedHome(opts: WaitOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  const started = now();
  const tty = opts.io.stderr.isTTY === true;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  let last = "waiting for the first event";
  const show = (final = false) => {
    const secs = Math.round((now() - started) / 1000);
    const line = escapeControls(`${opts.label}: ${last} (${secs}s)`);
    if (tty) opts.io.stderr.write(`\r\x1b[2K${line}${final ? "\n" : ""}`);
    else opts.io.err(line);
  };
  // Keep the elapsed time moving on a terminal while no event arrives.
  const ticker = tty ? setInterval(() => show(), 1000) : undefined;
  try {
    if (tty) show();
    const stream = opts.client.watch(
      { project: opts.project, uuid: opts.uuid, includeHistory: true },
      // 0 turns off the transport's request timeout; our own timer bounds the wait.
      { signal: abort.signal, timeoutMs: 0 },
    );
    for await (const res of stream) {
      const type = res.event?.event ?? MachineProvisioningEventType.UNSPECIFIED;
      last = eventLabel(type) + (res.event?.message ? `: ${res.event.message}` : "");
      show(isFinalEvent(type));
      if (type === MachineProvisioningEventType.PHONED_HOME) return;
      if (type === MachineProvisioningEventType.CRASHING) {
        throw new CliError(
          `machine ${opts.label} crashed while provisioning${res.event?.message ? `: ${res.event.message}` : ""}`,
          ExitCode.error,
          `see \`metalctl machine describe ${opts.uuid}\` for its events`,
        );
      }
    }
    throw new CliError(`machine ${opts.label} left the project before it phoned home`, ExitCode.error);
  } catch (err) {
    if (abort.signal.aborted || (err instanceof ConnectError && err.code === Code.DeadlineExceeded)) {
      if (tty) opts.io.stderr.write("\n");
      throw new CliError(
        `machine ${opts.label} did not phone home within ${Math.round(opts.timeoutMs / 1000)}s (last: ${last})`,
        ExitCode.unavailable,
        `follow it with \`metalctl machine watch ${opts.uuid}\` or raise --wait-timeout`,
      );
    }
    throw err;
  } finally {
    // Ends the stream's HTTP request too, so no open socket keeps the process alive.
    abort.abort();
    clearTimeout(timer);
    if (ticker) clearInterval(ticker);
  }
}
