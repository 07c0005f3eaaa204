import { machine } from "../../src/cli/resources/machine.js";
import {
  machineFilterFlags,
  machineFilterRefs,
  networkRef,
} from "../../src/cli/resources/machine-filters.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** machine list: the project's machines, filtered on the server and sorted with --sort-by. */
export default listCommand(machine, {
  summary: "List the project's machines.",
  description:
    "LAST EVENT is the newest provisioning event and AGE how long ago it arrived. STATUS is the liveliness " +
    "(alive: an event within five minutes, dead: older, unknown: never any) followed by the markers " +
    "locked (no delete or reinstall) and reserved (allocation skips it); -o wide adds rack, the reason " +
    "for the lock or reservation, hostname, allocation age, IPs and labels.",
  aliases: ["machine ls"],
  examples: [
    "<%= config.bin %> machine list --partition fra-1 --sort-by name",
    "<%= config.bin %> machine list --label env=prod --network internet -o wide",
    "<%= config.bin %> machine list --mac aa:bb:cc:00:11:22 --json uuid,allocation.name",
  ],
  flags: machineFilterFlags,
  refs: { ...machineFilterRefs, network: networkRef },
});
