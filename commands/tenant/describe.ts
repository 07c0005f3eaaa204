import { tenant } from "../../src/cli/resources/tenant.js";
import { describeCommand } from "../../src/cli/verbs/describe.js";

/** tenant describe TENANT: one tenant. */
export default describeCommand(tenant, { summary: "Show one tenant.", aliases: ["tenant get"] });
