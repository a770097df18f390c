/**
 * Token buckets per site key and per client IP. A bucket holds a minute's allowance and
 * refills continuously, so a steady site never notices it and a burst from one IP gets 429s
 * with Retry-After while everyone else carries on. In memory, per process: behind a load
 * balancer each process enforces its share.
 */
export interface RateLimiter {
  /** 0 when allowed; otherwise seconds until a token is available. */
  take(key: string, perMinute: number, now: number): number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export function createRateLimiter(maxKeys = 100_000): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return {
    take(key, perMinute, now) {
      if (perMinute <= 0) return 0;
      const rate = perMinute / 60_000;
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        bucket = { tokens: perMinute, updated: now };
        buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updated) * rate);
        bucket.updated = now;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
    },
  };
}
