import type { Detail } from "../output/printer.js";
import { type Names, withName } from "./referenced-names.js";
import { itemTitle, type Ref, type Resource } from "./resource.js";

/**
 * itemDetail is how `describe` shows one item in table formats: a heading naming it (ID and names),
 * then one `Column: value` line per column of its view, wide ones included and empty ones left
 * out; IDs of other items show with their `names` next to them. JSON, YAML and templates get the
 * item's JSON form, as with every other output.
 */
export function itemDetail<T>(resource: Resource<T> & { ref: Ref<T> }, item: T, names?: Names): Detail {
  const { view } = resource;
  return {
    json: view.toJson(item),
    text(now) {
      const fields = view.columns
        .map((c) => {
          const value = c.value(item, now);
          return [c.header, c.names && value ? withName(value, names) : value] as const;
        })
        .filter(([, v]) => v !== "");
      const width = Math.max(...fields.map(([k]) => k.length)) + 2;
      const lines = fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v.replaceAll("\n", " ")}`);
      return `${itemTitle(resource, item)}\n\n${lines.join("\n")}\n`;
    },
  };
}
