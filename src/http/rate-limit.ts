// Rate limits for the API and the inboxes: token buckets kept in memory, one
// per key (a client's address, a sending server's host), per process. A
// bucket holds up to a minute's allowance and refills continuously, so a
// burst is allowed and a steady flood is slowed to the configured rate. A
// request over the limit gets 429 problem+json with Retry-After: a Fedify
// sender retries the delivery later, a person's tool sees when to try
// again. Several processes behind one load balancer each keep their own
// buckets (the limit is per process, not shared).
import type { Context, MiddlewareHandler } from "hono";
import { problemResponse } from "./problem.ts";

/** Buckets kept before full ones are dropped (a full bucket is the same as none). */
const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly perMinute: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** `perMinute` requests a minute per key, at most `perMinute` at once. */
  constructor(perMinute: number, now: () => number = Date.now) {
    this.perMinute = perMinute;
    this.#now = now;
  }

  #refilled(key: string): Bucket {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    if (!bucket) return { tokens: this.perMinute, at: now };
    const tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) * this.perMinute) / 60_000);
    return { tokens, at: now };
  }

  /** Seconds until `key` may make a request again; 0 when it may now. Takes nothing. */
  wait(key: string): number {
    const { tokens } = this.#refilled(key);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - tokens) * 60) / this.perMinute));
  }

  /** Counts one request against `key` (even over the limit, so a flood keeps itself waiting, down to one minute's worth). */
  charge(key: string): void {
    const bucket = this.#refilled(key);
    bucket.tokens = Math.max(-this.perMinute, bucket.tokens - 1);
    if (!this.#buckets.has(key) && this.#buckets.size >= MAX_BUCKETS) this.#prune();
    this.#buckets.set(key, bucket);
  }

  /** Checks and counts in one step: the seconds to wait, or 0 when the request may go ahead. */
  take(key: string): number {
    const wait = this.wait(key);
    if (wait === 0) this.charge(key);
    return wait;
  }

  #prune(): void {
    for (const key of this.#buckets.keys()) {
      if (this.#refilled(key).tokens >= this.perMinute) this.#buckets.delete(key);
    }
  }
}

/** The 429 answer: how long to wait, in the header and in the problem. */
export function tooManyRequests(retryAfterSeconds: number, detail: string): Response {
  const response = problemResponse(429, detail, { retryAfter: retryAfterSeconds });
  response.headers.set("retry-after", String(retryAfterSeconds));
  return response;
}

/** The address the request came from (the socket's peer; behind a proxy, the proxy). */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}

/** Limits every request through it by the client's address; `perMinute` 0 means no limit. */
export function limitByAddress(perMinute: number, detail: string): MiddlewareHandler {
  if (perMinute <= 0) return (_c, next) => next();
  const limiter = new RateLimiter(perMinute);
  // Not async: the 413 for a chunked upload over the body limit races the
  // rest of the upload (the client may see the connection cut first), and
  // one more await before the body limit lost that race every time in
  // test/api/body-limit.test.ts run alone (it loses it now and then under load,
  // as it did before this limit existed).
  return (c, next) => {
    const wait = limiter.take(clientAddress(c));
    return wait > 0 ? Promise.resolve(tooManyRequests(wait, detail)) : next();
  };
}
