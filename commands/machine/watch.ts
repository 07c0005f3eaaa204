import { Flags } from "@oclif/core";
import { completionsOf } from "../../src/cli/completion/source.js";
import { parseDuration } from "../../src/cli/duration.js";
import { projectFlag, refArg } from "../../src/cli/flags.js";
import { machine, machineLabel } from "../../src/cli/resources/machine.js";
import { WATCH_HEADER, watchLine } from "../../src/cli/resources/machine-watch.js";
import { ResourceCommand } from "../../src/cli/verbs/resource-command.js";
import { type Machine, MachineService } from "../../src/gen/metalstack/api/v2/machine_pb.js";

/** MachineWatch prints a machine's provisioning events as they happen, one line each in aligned columns. */
export default class MachineWatch extends ResourceCommand<typeof MachineWatch, Machine> {
  static override summary = "Follow a machine's provisioning events (Ctrl-C to stop).";
  static override args = { id: refArg(machine) };
  static override flags = {
    ...projectFlag,
    history: Flags.boolean({
      summary: "Print the events recorded so far first.",
      default: true,
      allowNo: true,
    }),
    for: Flags.string({ summary: "Stop after this long, e.g. 5m (default: until interrupted)." }),
  };
  static override completion = completionsOf(this);
  protected override readonly resource = machine;

  async run(): Promise<void> {
    const { flags } = this;
    const uuid = await this.itemId();
    const project = await this.scopeProject();
    const watched = await machine.get(this.deps, project, uuid);
    this.note(`Watching machine ${machineLabel(watched)} — Ctrl-C to stop.`);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once("SIGINT", stop);
    const forMs = flags.for ? parseDuration(flags.for, "--for") : undefined;
    const timer = forMs ? setTimeout(stop, forMs) : undefined;
    try {
      const stream = this.deps.client(MachineService).watch(
        { project, uuid, includeHistory: flags.history },
        // 0 turns off the transport's default request timeout, which must not end a watch.
        { signal: abort.signal, timeoutMs: 0 },
      );
      let first = true;
      for await (const res of stream) {
        const e = res.event;
        if (!e) continue;
        if (first) this.deps.io.out(WATCH_HEADER);
        first = false;
        this.deps.io.out(watchLine(e));
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    } finally {
      if (timer) clearTimeout(timer);
      process.off("SIGINT", stop);
    }
  }
}
