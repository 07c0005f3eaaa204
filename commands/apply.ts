import { firewall } from "../src/cli/resources/firewall.js";
import { ip } from "../src/cli/resources/ip.js";
import { machine } from "../src/cli/resources/machine.js";
import { network } from "../src/cli/resources/network.js";
import { applyCommand } from "../src/cli/verbs/apply.js";

/** apply -f FILE: create or update the project's IPs, networks, machines and firewalls from YAML documents. */
export default applyCommand([ip, network, machine, firewall], "project", {
  summary: "Create or update IPs, networks, machines and firewalls from a YAML file.",
  description:
    "Each document (separated by ---) has a kind (ip, network, machine, firewall) and the item as describe -o yaml " +
    "prints it. A document names its item by ID, or without one by its name in the project. What does not exist is " +
    "created; what exists gets only the fields that differ, guarded by the generation read just before (exit 6 when " +
    "someone changed it meanwhile). Fields left out stay as they are; fields the server keeps (status, hardware, " +
    "timestamps) are ignored. One line per document says created, updated or unchanged.",
  examples: [
    "<%= config.bin %> apply -f infra.yaml",
    "<%= config.bin %> apply -f infra.yaml --dry-run",
    "<%= config.bin %> ip describe 2f6c… -o yaml | sed 's/^name: .*/name: gateway/' | sed '1i kind: ip' | <%= config.bin %> apply -f -",
  ],
});
