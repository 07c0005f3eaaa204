import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import {
  MachineProvisioningEventType as Ev,
  type MachineHardware,
} from "../../gen/metalstack/api/v2/machine_pb.js";
import { AgentService, type Task, TaskKind } from "../../gen/metalstack/infra/v2/agent_pb.js";
import type { Logger } from "../log.js";
import { startConsoleAgent } from "./console-agent.js";

/** SimulatedMachine is one fake machine: what its agent registers. */
export interface SimulatedMachine {
  uuid: string;
  partition: string;
  size: string;
  rack: string;
  hardware: MachineHardware;
  bmc: { address: string; user: string; password: string };
}

/** SimulatorOptions configure the machine simulator; tests shorten the delays. */
export interface SimulatorOptions {
  /** API server base URL, e.g. ctx.config.publicUrl. */
  baseUrl: string;
  /** API token granted the AgentService methods only. */
  token: string;
  /** Pause between two provisioning steps of one machine. */
  stepDelayMs: number;
  /** How often idle machines repeat their heartbeat event (Waiting / Phoned Home). */
  heartbeatMs: number;
  /** How often the agent asks for new tasks. */
  pollMs: number;
  /** Stops the simulator. */
  signal: AbortSignal;
  log: Logger;
}

/** Simulator plays the provisioning agent of simulated machines against the API. */
export interface Simulator {
  /**
   * addMachine registers the machine and plays its boot into the waiting pool; resolves once it
   * waits. With `running` (after a server restart, for a machine that is allocated) it skips the boot
   * and only resumes the Phoned Home heartbeat.
   */
  addMachine(m: SimulatedMachine, opts?: { running?: boolean }): Promise<void>;
  /** stopped resolves when the simulator's loops have ended after the abort signal. */
  stopped: Promise<void>;
}

/** poolHostname is what a machine calls itself before an install gives it the allocation's hostname. */
function poolHostname(uuid: string): string {
  return `machine-${uuid.slice(0, 8)}`;
}

/** BOOT_TO_WAITING are the steps from power-on to the waiting pool. */
const BOOT_TO_WAITING = [Ev.PXE_BOOTING, Ev.PREPARING, Ev.REGISTERING, Ev.WAITING];
/** INSTALL_STEPS are the steps after allocation. */
const INSTALL_STEPS = [Ev.INSTALLING, Ev.BOOTING_NEW_KERNEL, Ev.PHONED_HOME];
/** RECLAIM_STEPS are the steps after delete: wipe by rebooting into the installer, back to waiting. */
const RECLAIM_STEPS = [Ev.PLANNED_REBOOT, ...BOOT_TO_WAITING];

/** REBOOT_STEPS are the steps of a power cycle, reset or power-on, by where the machine was before. */
function rebootSteps(resume: Ev | undefined): Ev[] {
  return resume === Ev.WAITING
    ? [Ev.PLANNED_REBOOT, ...BOOT_TO_WAITING]
    : [Ev.PLANNED_REBOOT, Ev.PHONED_HOME];
}

const MESSAGES: Partial<Record<Ev, string>> = {
  [Ev.PXE_BOOTING]: "machine sent PXE request",
  [Ev.PREPARING]: "starting metal-hammer",
  [Ev.REGISTERING]: "registering hardware",
  [Ev.WAITING]: "waiting for allocation",
  [Ev.INSTALLING]: "installing image",
  [Ev.BOOTING_NEW_KERNEL]: "kexec into installed kernel",
  [Ev.PHONED_HOME]: "machine is up",
  [Ev.PLANNED_REBOOT]: "reboot to wipe disks",
};

const POWER_MESSAGES: Partial<Record<TaskKind, string>> = {
  [TaskKind.POWER_ON]: "powered on via BMC",
  [TaskKind.POWER_RESET]: "reset via BMC",
  [TaskKind.POWER_CYCLE]: "power cycle via BMC",
};

// Boot device and LED are BMC settings without a provisioning event: the task only has to succeed.
const BMC_SETTINGS = new Set([
  TaskKind.BOOT_PXE,
  TaskKind.BOOT_DISK,
  TaskKind.BOOT_BIOS,
  TaskKind.IDENTIFY_ON,
  TaskKind.IDENTIFY_OFF,
]);

/**
 * startSimulator runs a fake provisioning agent that talks to the API server over Connect with its
 * own token, exactly like a real agent: it registers machines, reports their events, polls the task
 * queue of their partitions and plays install and reclaim, repeats heartbeats while idle, and serves
 * their serial consoles (boot messages and a login prompt).
 */
export function startSimulator(opts: SimulatorOptions): Simulator {
  const auth: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${opts.token}`);
    return next(req);
  };
  const client: Client<typeof AgentService> = createClient(
    AgentService,
    createConnectTransport({ baseUrl: opts.baseUrl, httpVersion: "1.1", interceptors: [auth] }),
  );
  const machines = new Map<
    string,
    {
      partition: string;
      heartbeat: Ev | undefined;
      resume: Ev | undefined;
      busy: Promise<void>;
      /** What the console's login prompt shows: the allocation's hostname once installed. */
      hostname: string;
    }
  >();
  const consoles = startConsoleAgent({
    baseUrl: opts.baseUrl,
    auth,
    hostnameOf: (uuid) => machines.get(uuid)?.hostname,
    signal: opts.signal,
    log: opts.log,
  });
  const callOptions = { signal: opts.signal };

  // One abort listener for all pending pauses, instead of one per pause on the shared signal.
  const pauses = new Set<() => void>();
  opts.signal.addEventListener("abort", () => {
    for (const wake of pauses) wake();
  });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (opts.signal.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      pauses.add(wake);
    });

  async function play(uuid: string, steps: Ev[], firstMessage?: string): Promise<void> {
    const m = machines.get(uuid);
    if (m) m.heartbeat = undefined;
    for (const [i, event] of steps.entries()) {
      if (opts.signal.aborted) return;
      await sleep(opts.stepDelayMs);
      if (opts.signal.aborted) return;
      const message = (i === 0 && firstMessage) || MESSAGES[event] || "";
      await client.reportEvent({ uuid, event, message }, callOptions);
    }
    if (m) {
      m.heartbeat = steps[steps.length - 1];
      m.resume = m.heartbeat;
    }
  }

  /** power plays a BMC power command: off silences the machine, the others reboot it where it was. */
  async function power(uuid: string, kind: TaskKind): Promise<void> {
    const m = machines.get(uuid);
    if (!m) return;
    if (kind === TaskKind.POWER_OFF) {
      m.heartbeat = undefined;
      return;
    }
    if (kind === TaskKind.POWER_ON && m.heartbeat !== undefined) return;
    await play(uuid, rebootSteps(m.resume), POWER_MESSAGES[kind]);
  }

  /** runs `work` after the machine's previous work, so one machine never plays two flows at once. */
  function serially(uuid: string, work: () => Promise<void>): Promise<void> {
    const m = machines.get(uuid);
    if (!m) return work();
    const next = m.busy.then(work, work);
    m.busy = next.catch(() => {});
    return next;
  }

  async function runTask(task: Task): Promise<void> {
    let error = "";
    try {
      const m = machines.get(task.machine);
      if (task.kind === TaskKind.INSTALL) {
        if (m && task.hostname) m.hostname = task.hostname;
        await play(task.machine, INSTALL_STEPS);
      } else if (task.kind === TaskKind.RECLAIM) {
        if (m) m.hostname = poolHostname(task.machine);
        await play(task.machine, RECLAIM_STEPS);
      } else if (task.kind in POWER_MESSAGES || task.kind === TaskKind.POWER_OFF)
        await power(task.machine, task.kind);
      else if (!BMC_SETTINGS.has(task.kind)) error = `task kind ${task.kind} is not simulated`;
    } catch (err) {
      if (opts.signal.aborted) return;
      error = err instanceof Error ? err.message : String(err);
    }
    if (opts.signal.aborted) return;
    await client.completeTask({ id: task.id, error }, callOptions);
  }

  async function pollLoop(): Promise<void> {
    while (!opts.signal.aborted) {
      const partitions = new Set([...machines.values()].map((m) => m.partition));
      for (const partition of partitions) {
        try {
          const { tasks } = await client.fetchTasks({ partition }, callOptions);
          for (const task of tasks) {
            if (!machines.has(task.machine)) continue;
            void serially(task.machine, () => runTask(task)).catch((err) => {
              if (!opts.signal.aborted)
                opts.log.warn("simulator task failed", { task: task.id, error: String(err) });
            });
          }
        } catch (err) {
          if (!opts.signal.aborted)
            opts.log.warn("simulator cannot fetch tasks", { partition, error: String(err) });
        }
      }
      await sleep(opts.pollMs);
    }
  }

  async function heartbeatLoop(): Promise<void> {
    while (!opts.signal.aborted) {
      await sleep(opts.heartbeatMs);
      for (const [uuid, m] of machines) {
        // Through `serially`, so a heartbeat never lands in the middle of an install or reclaim.
        await serially(uuid, async () => {
          if (opts.signal.aborted || m.heartbeat === undefined) return;
          await client.reportEvent(
            { uuid, event: m.heartbeat, message: MESSAGES[m.heartbeat] ?? "" },
            callOptions,
          );
        }).catch((err) => {
          if (!opts.signal.aborted)
            opts.log.warn("simulator heartbeat failed", { machine: uuid, error: String(err) });
        });
      }
    }
  }

  const stopped = Promise.all([pollLoop(), heartbeatLoop()]).then(() => consoles.stopped());

  return {
    async addMachine(m, addOpts = {}) {
      await client.register(
        {
          uuid: m.uuid,
          partition: m.partition,
          size: m.size,
          rack: m.rack,
          hardware: m.hardware,
          bmc: m.bmc,
        },
        callOptions,
      );
      const heartbeat = addOpts.running ? Ev.PHONED_HOME : undefined;
      machines.set(m.uuid, {
        partition: m.partition,
        heartbeat,
        resume: heartbeat,
        busy: Promise.resolve(),
        hostname: poolHostname(m.uuid),
      });
      consoles.serve(m.partition);
      if (!addOpts.running) await serially(m.uuid, () => play(m.uuid, BOOT_TO_WAITING));
    },
    stopped,
  };
}
