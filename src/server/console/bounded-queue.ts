/** BoundedQueue hands items from producers to one async consumer, holding at most `maxBytes` at a time. */
export interface BoundedQueue<T> extends AsyncIterable<T> {
  /**
   * push adds an item of `bytes` size; false when the queue has ended. Pushing beyond the bound ends
   * the queue with the overflow error instead, so a consumer that stops reading cannot grow memory.
   */
  push(item: T, bytes?: number): boolean;
  /** end lets the consumer drain what is queued, then finish, or throw `error` when one is given. */
  end(error?: Error): void;
  readonly ended: boolean;
}

/** createBoundedQueue makes a queue that ends with `overflow()` once more than `maxBytes` are waiting. */
export function createBoundedQueue<T>(maxBytes: number, overflow: () => Error): BoundedQueue<T> {
  const items: { item: T; bytes: number }[] = [];
  let held = 0;
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const queue: BoundedQueue<T> = {
    get ended() {
      return ended;
    },
    push(item, bytes = 0) {
      if (ended) return false;
      if (held + bytes > maxBytes) {
        queue.end(overflow());
        return false;
      }
      items.push({ item, bytes });
      held += bytes;
      signal();
      return true;
    },
    end(error) {
      if (ended) return;
      ended = true;
      failure = error;
      // An error ends at once: what is still queued would only hide it.
      if (error) items.length = 0;
      signal();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = items.shift();
        if (next) {
          held -= next.bytes;
          yield next.item;
          continue;
        }
        if (ended) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
  return queue;
}
