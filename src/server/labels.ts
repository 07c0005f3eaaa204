import { Code, ConnectError } from "@connectrpc/connect";
import type { UpdateLabels } from "../gen/metalstack/api/v2/common_pb.js";

/** MAX_LABELS is how many labels one resource may carry. */
export const MAX_LABELS = 64;
/** MAX_LABEL_VALUE is the longest label value, in characters. */
const MAX_LABEL_VALUE = 1024;

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,253}[A-Za-z0-9])?$/;

/**
 * checkLabels applies the one label rule set of every resource: keys of 1-255 letters, digits, '.',
 * '_', '/' or '-' that start and end alphanumeric (they survive shells, selectors and templates),
 * values of at most 1024 characters, at most 64 labels; `field` names the request field in errors.
 */
export function checkLabels(labels: Record<string, string>, field = "labels"): Record<string, string> {
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) {
    throw new ConnectError(
      `${field}: at most ${MAX_LABELS} labels, got ${entries.length}`,
      Code.InvalidArgument,
    );
  }
  for (const [k, v] of entries) {
    if (!LABEL_KEY.test(k)) {
      throw new ConnectError(
        `${field}: key "${k}" must be 1-255 letters, digits, '.', '_', '/' or '-' and start and end alphanumeric`,
        Code.InvalidArgument,
      );
    }
    if (v.length > MAX_LABEL_VALUE) {
      throw new ConnectError(
        `${field}: value of "${k}" is longer than ${MAX_LABEL_VALUE} characters`,
        Code.InvalidArgument,
      );
    }
  }
  return labels;
}

/**
 * mergeLabels applies an UpdateLabels to stored labels: `update` adds or replaces keys (checked as
 * `labels.update`), `remove` deletes keys; the result may hold at most MAX_LABELS labels.
 */
export function mergeLabels(
  stored: Record<string, string>,
  update: Pick<UpdateLabels, "update" | "remove"> | undefined,
): Record<string, string> {
  if (!update) return stored;
  const next = { ...stored, ...checkLabels(update.update, "labels.update") };
  for (const k of update.remove) delete next[k];
  const count = Object.keys(next).length;
  if (count > MAX_LABELS) {
    throw new ConnectError(
      `labels: at most ${MAX_LABELS} labels, the update would leave ${count}; remove some`,
      Code.InvalidArgument,
    );
  }
  return next;
}

/** applyLabelUpdate is mergeLabels on labels stored as JSON text. */
export function applyLabelUpdate(
  stored: string,
  update: Pick<UpdateLabels, "update" | "remove"> | undefined,
): string {
  if (!update) return stored;
  return JSON.stringify(mergeLabels(JSON.parse(stored) as Record<string, string>, update));
}
