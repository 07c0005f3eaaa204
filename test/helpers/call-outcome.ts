import { Code, ConnectError } from "@connectrpc/connect";

/** outcome is how a call ended, as text a fault test can compare: "ok" or "Code: message". */
export async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (err) {
    const e = ConnectError.from(err);
    return `${Code[e.code]}: ${e.rawMessage}`;
  }
}

/** retryUntilOk retries `fn` (100 times, 100 ms apart) until it resolves, for a client's or pool's reconnects. */
export async function retryUntilOk<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
