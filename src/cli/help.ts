import { Help } from "@oclif/core";
import { exitCodeHelp } from "./errors.js";

/** MetalHelp is oclif's help plus the documented exit codes on the root page (`metalctl --help`). */
export default class MetalHelp extends Help {
  protected override formatRoot(): string {
    const exitCodes = exitCodeHelp
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n");
    return `${super.formatRoot()}\n\nEXIT CODES\n${exitCodes}`;
  }
}
