/**
 * When to try a failed delivery again: exponential (30 s, 1 min, 2 min, … capped at 1 h) with
 * jitter, so receivers coming back from an outage are not hit by every sender at the same
 * instant. A delivery is retried for three days before it is given up — comfortably past the
 * 24 hours a receiver may be down without losing anything.
 */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60_000;
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;

/** Delay before attempt `attempts + 1`, after `attempts` failures (≥ 1). Jitter: 50–100 % of the step. */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  const step = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return Math.round(step * (0.5 + random() * 0.5));
}

export const shouldGiveUp = (createdAt: number, now: number): boolean => now - createdAt >= GIVE_UP_AFTER_MS;
