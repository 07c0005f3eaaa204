import { Code, ConnectError } from "@connectrpc/connect";
import { expect } from "vitest";

/** expectCode awaits a call that must fail and checks its Connect code and (optionally) message. */
export async function expectCode(
  call: Promise<unknown>,
  code: Code,
  message?: RegExp,
): Promise<ConnectError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  expect(err, "the call was expected to fail").toBeDefined();
  expect(Code[err!.code]).toBe(Code[code]);
  if (message) expect(err!.rawMessage).toMatch(message);
  return err!;
}

/** failure awaits a call that must fail, whatever its code, and returns its ConnectError. */
export async function failure(call: Promise<unknown>): Promise<ConnectError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  expect(err).toBeInstanceOf(ConnectError);
  return err as ConnectError;
}
