import type { DescMessage, Message } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { checkRequestFields } from "./request-fields.js";

/**
 * validate applies the checks every request shares, before the handler: the field limits of
 * request-fields.ts (enum numbers, lengths, control characters, UTF-8) on every message, also each one
 * of a client stream, and `update_meta` (the optimistic-locking precondition) on every Update. Field
 * checks of one service live in its handler.
 */
export function validate(): Interceptor {
  // Not async: a valid request goes on in the same tick; a refusal thrown here rejects the caller's
  // promise all the same, since an outer interceptor or connect itself awaits this call.
  return (next) => (req) => {
    if (req.stream) return next({ ...req, message: checkedStream(req.method.input, req.message) });
    checkRequestFields(req.method.input, req.message);
    if (req.method.name === "Update") {
      const field = req.method.input.fields.find((f) => f.name === "update_meta");
      const value = field && (req.message as unknown as Record<string, unknown>)[field.localName];
      if (field && value === undefined) {
        throw new ConnectError(
          "update_meta: required; send the generation you read (0 skips the check)",
          Code.InvalidArgument,
        );
      }
    }
    return next(req);
  };
}

async function* checkedStream<M extends Message>(desc: DescMessage, messages: AsyncIterable<M>) {
  for await (const message of messages) {
    checkRequestFields(desc, message);
    yield message;
  }
}
