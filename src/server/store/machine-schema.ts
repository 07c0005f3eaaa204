/**
 * MachineRow is a registered bare-metal machine. Allocation fields are null while the machine is
 * free; `hardware`, `labels` and `allocation` are JSON text.
 */
export interface MachineRow {
  /** Hardware UUID reported by the agent. */
  id: string;
  partition: string;
  size: string;
  rack: string;
  /** JSON of metalstack.api.v2.MachineHardware. */
  hardware: string;
  bmc_address: string;
  /** BMC credentials: stored for the agent side only, never returned by any API, never logged. */
  bmc_user: string;
  bmc_password: string;
  /** metalstack.api.v2.MachineState enum value. */
  state: number;
  state_description: string;
  /** Project the machine is allocated to; null while free. */
  project: string | null;
  /** UUID of the current allocation; events recorded under it are the project's. */
  allocation_id: string | null;
  name: string | null;
  hostname: string | null;
  image: string | null;
  /** JSON of the remaining allocation fields (see machines/allocation-json.ts). */
  allocation: string | null;
  /** JSON object of the allocation's labels. */
  labels: string;
  /** metalstack.api.v2.MachineProvisioningEventType of the newest event; 0 when none yet. */
  last_event: number;
  last_event_time: string | null;
  /** Sequence number of the newest event; events are numbered per machine. */
  event_seq: number;
  /** Crashing events since the machine last reached Waiting or Phoned Home; three make a crash loop. */
  crash_streak: number;
  /** What the management agent last confirmed: metalstack.api.v2 MachinePowerState, MachineBootDevice, MachineLedState. */
  power_state: number;
  next_boot: number;
  led_state: number;
  management_updated_at: string | null;
  generation: number;
  created_at: string;
  updated_at: string;
}

/** MachineEventRow is one provisioning event; only the newest 100 per machine are kept. */
export interface MachineEventRow {
  machine_id: string;
  seq: number;
  time: string;
  event: number;
  message: string;
  /** Allocation the machine belonged to when the event arrived; null while free. */
  allocation_id: string | null;
}

/** MachineTaskRow is work queued for the partition's agent (install, reclaim, later power and boot). */
export interface MachineTaskRow {
  id: string;
  machine_id: string;
  partition: string;
  /** metalstack.infra.v2.TaskKind enum value. */
  kind: number;
  /** JSON with what the agent needs for the task, e.g. image and hostname for an install. */
  payload: string;
  created_at: string;
  /** Set when an agent fetched the task; a claim older than the lease is handed out again. */
  claimed_at: string | null;
}

/** MachineTables are the machine, event and task tables. */
export interface MachineTables {
  machines: MachineRow;
  machine_events: MachineEventRow;
  machine_tasks: MachineTaskRow;
}
