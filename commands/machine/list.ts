import { Flags } from "@oclif/core";
import { completeFrom } from "../../src/cli/completion/source.js";
import { enumKeys } from "../../src/cli/resources/common.js";
import { image } from "../../src/cli/resources/image.js";
import { machine } from "../../src/cli/resources/machine.js";
import { partition } from "../../src/cli/resources/partition.js";
import { size } from "../../src/cli/resources/size.js";
import { listCommand } from "../../src/cli/verbs/list.js";
import { MachineStateSchema } from "../../src/gen/metalstack/api/v2/machine_pb.js";

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
    "<%= config.bin %> machine list --labels env=prod -o wide",
  ],
  flags: {
    id: Flags.string({ summary: "Only the machine with this ID." }),
    name: Flags.string({ summary: "Only machines with this name." }),
    hostname: Flags.string({ summary: "Only machines with this hostname." }),
    partition: Flags.string({ summary: "Only machines in this partition.", ...completeFrom(partition.ref) }),
    size: Flags.string({ summary: "Only machines of this size.", ...completeFrom(size.ref) }),
    image: Flags.string({ summary: "Only machines with this image.", ...completeFrom(image.ref) }),
    rack: Flags.string({ summary: "Only machines in this rack." }),
    state: Flags.string({ summary: "Only machines in this state.", options: enumKeys(MachineStateSchema) }),
    labels: Flags.string({ summary: "Only machines with all these labels key=value.", multiple: true }),
  },
});
