import { type ContextConfig, findContext } from "../config/store.js";
import type { View } from "../output/printer.js";
import { completionOf, type Gets, type Lists, type Ref } from "./resource.js";

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

/** context is the contexts of the local config file, named by name; one of them is the current one. */
export const context: Lists<ContextRow> & Gets<ContextRow> & { ref: Ref<ContextRow> } = {
  scope: "local",
  noun: "context",
  view: contextView,
  ref: {
    kind: "context",
    scope: "local",
    arg: "name",
    description: "Context name.",
    candidate: (c) => ({ value: c.name, description: c.apiUrl }),
  },
  list: async (deps) => {
    const config = deps.config();
    return config.contexts.map((c) => ({ ...c, current: c.name === config.current }));
  },
  get: async (deps, _project, name) => {
    const config = deps.config();
    return { ...findContext(config, name), current: name === config.current };
  },
};

/** completion offers the context names. */
export const completion = completionOf(context);
