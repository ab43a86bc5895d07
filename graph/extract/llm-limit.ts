/**
 * Concurrency and rate limits for LLM calls. The clock is injectable so tests check the limit by
 * counting requests per (virtual) minute, never by timing.
 */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason as Error); return; }
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, Math.max(0, ms));
    const onAbort = () => { clearTimeout(t); reject(signal!.reason as Error); };
    signal?.addEventListener('abort', onAbort, { once: true });
  }),
};

const WINDOW_MS = 60_000;

/** At most `perMinute` starts in any 60 s window (sliding window over the start times). */
export class RateLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perMinute: number, private readonly clock: Clock = realClock) {}

  /** Resolves when one more request may start; callers are served in arrival order. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = this.clock.now();
        while (this.starts.length && this.starts[0]! <= now - WINDOW_MS) this.starts.shift();
        if (this.starts.length < this.perMinute) {
          this.starts.push(now);
          return;
        }
        await this.clock.sleep(this.starts[0]! + WINDOW_MS - now, signal);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results keep the items' order. */
export async function mapPool<T, R>(items: T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return out;
}
