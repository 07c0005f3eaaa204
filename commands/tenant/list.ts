import { tenant } from "../../src/cli/resources/tenant.js";
import { listCommand } from "../../src/cli/verbs/list.js";

/** tenant list: the tenants the caller is a member of. */
export default listCommand(tenant, { summary: "List your tenants.", aliases: ["tenant ls"] });
