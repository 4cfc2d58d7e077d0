/**
 * Token buckets per key (an API key, an address, an account): `capacity` requests at once, refilled at
 * `perSecond`. In memory, per process; the bucket map is bounded so many keys cannot exhaust memory.
 */
export interface RateLimiter {
  /** Takes one token; returns 0 when allowed, else the seconds until one is free. */
  take(key: string): number;
}

export function createRateLimiter(
  options: { capacity: number; perSecond: number; maxKeys?: number },
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = options.maxKeys ?? 50_000;
  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        b = { tokens: options.capacity, at: t };
        buckets.set(key, b);
      }
      b.tokens = Math.min(options.capacity, b.tokens + ((t - b.at) / 1000) * options.perSecond);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / options.perSecond);
    },
  };
}
