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
