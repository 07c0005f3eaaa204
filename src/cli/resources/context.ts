import type { ContextConfig } from "../config/store.js";
import type { View } from "../output/printer.js";

/** ContextRow is a context as listed, with whether it is the current one. */
export interface ContextRow extends ContextConfig {
  current: boolean;
}

/** contextView shows contexts as a table and as plain JSON (they are CLI data, not protos). */
export const contextView: View<ContextRow> = {
  columns: [
    { header: "Current", value: (c) => (c.current ? "*" : "") },
    { header: "Name", value: (c) => c.name },
    { header: "API URL", value: (c) => c.apiUrl },
    { header: "Project", value: (c) => c.defaultProject ?? "" },
    { header: "Storage", value: (c) => c.credentialStorage ?? "", wide: true },
    { header: "Output", value: (c) => c.output ?? "", wide: true },
  ],
  toJson: (c) => JSON.parse(JSON.stringify(c)),
};
