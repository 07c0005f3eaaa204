import { execute } from "@oclif/core";

/**
 * run starts oclif for the package whose bin is `binUrl`; it is the CLI's one entry besides
 * completion, so the bundle holds oclif in the chunks every command shares.
 */
export async function run(binUrl: string): Promise<void> {
  await execute({ dir: binUrl });
}
