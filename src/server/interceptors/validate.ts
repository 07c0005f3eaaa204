import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/**
 * validate applies the checks every request shares, before the handler: an Update request must carry
 * `update_meta` (the optimistic-locking precondition). Field checks of one service live in its handler.
 */
export function validate(): Interceptor {
  return (next) => async (req) => {
    if (!req.stream && req.method.name === "Update") {
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
