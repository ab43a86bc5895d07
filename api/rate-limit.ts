/**
 * Rate limits that cannot be aimed at a customer: failed authentications are counted per client
 * address (a stranger who knows a key id — it is printed on the page — exhausts only their own
 * address's budget, and made-up key ids do not escape it); requests with a verified key are
 * counted per key only. Fixed windows, in memory (one API process).
 */
import { ApiError } from './errors.js';

export interface Window { count: number; resetAt: number }

export class FixedWindowLimiter {
  private readonly buckets = new Map<string, Window>();
  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  private bucket(key: string): Window {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b || b.resetAt <= t) {
      b = { count: 0, resetAt: t + this.windowMs };
      this.buckets.set(key, b);
      if (this.buckets.size > 10_000) for (const [k, v] of this.buckets) if (v.resetAt <= t) this.buckets.delete(k);
    }
    return b;
  }

  /** Counts one hit; returns the window after it. */
  hit(key: string): Window & { limited: boolean; remaining: number } {
    const b = this.bucket(key);
    b.count += 1;
    return { ...b, limited: b.count > this.max, remaining: Math.max(0, this.max - b.count) };
  }

  /** True when `key` has used up its window (without counting). */
  exhausted(key: string): boolean {
    return this.bucket(key).count >= this.max;
  }

  retryAfterSeconds(key: string): number {
    return Math.max(1, Math.ceil((this.bucket(key).resetAt - this.now()) / 1000));
  }
}

/** "60 s", "2 min", "1 h": the real window, for messages. */
export function windowText(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

export function keyLimited(max: number, windowMs: number, retryAfter: number): ApiError {
  return new ApiError('rate_limited', `rate limit of ${max} requests per ${windowText(windowMs)} exceeded for this key; retry after ${retryAfter} s`);
}

export function addressLimited(max: number, windowMs: number, retryAfter: number): ApiError {
  return new ApiError('rate_limited', `too many failed sign-ins from this address (limit ${max} per ${windowText(windowMs)}); retry after ${retryAfter} s`);
}

export interface KeyGate<W extends { keyId: string }> {
  recentlyVerified: (key: string | undefined) => boolean;
  authenticate: (key: string | undefined) => Promise<W>;
  /** Checked once the address may try (e.g. a key of the wrong kind): throws to refuse without authenticating. */
  refuse?: (key: string | undefined) => void;
  /** Whether a refusal counts against the address (a valid key of the wrong kind does not have to). */
  countsAsFailure: (e: ApiError) => boolean;
  /** The verified key's own window. */
  windowKey: (who: W) => string;
  /** Send x-ratelimit-* headers with every answer. */
  rateHeaders: boolean;
}

/**
 * The authentication of a group of keyed routes, with both limits: an address with too many failed sign-ins is
 * refused (unless it presents a key verified recently), the key is authenticated, then its own window is counted.
 * One gate per route group (tenant routes, operator routes); each has its own windows.
 */
export function keyGate<W extends { keyId: string }>(limits: { max: number; failedAuthMax: number; windowMs: number }, gate: KeyGate<W>) {
  const { max, failedAuthMax, windowMs } = limits;
  const perKey = new FixedWindowLimiter(max, windowMs);
  const failuresPerAddress = new FixedWindowLimiter(failedAuthMax, windowMs);
  return async (req: { ip: string }, reply: { header: (name: string, value: string) => unknown }, key: string | undefined): Promise<W> => {
    const address = `ip:${req.ip}`;
    if (failuresPerAddress.exhausted(address) && !gate.recentlyVerified(key)) {
      const retry = failuresPerAddress.retryAfterSeconds(address);
      void reply.header('retry-after', String(retry));
      throw addressLimited(failedAuthMax, windowMs, retry);
    }
    gate.refuse?.(key);
    let who: W;
    try {
      who = await gate.authenticate(key);
    } catch (e) {
      if (e instanceof ApiError && gate.countsAsFailure(e)) failuresPerAddress.hit(address);
      throw e;
    }
    const w = perKey.hit(gate.windowKey(who));
    if (gate.rateHeaders) {
      void reply.header('x-ratelimit-limit', String(max));
      void reply.header('x-ratelimit-remaining', String(w.remaining));
      void reply.header('x-ratelimit-reset', String(Math.ceil((w.resetAt - Date.now()) / 1000)));
    }
    if (w.limited) {
      const retry = perKey.retryAfterSeconds(gate.windowKey(who));
      void reply.header('retry-after', String(retry));
      throw keyLimited(max, windowMs, retry);
    }
    return who;
  };
}
