/**
 * The write queue's bounds. A collector that cannot keep up says so early — 503 with
 * Retry-After, which the script and Segment's libraries honour and retry — instead of holding
 * ever more requests in memory until every one of them is late.
 */
import { AppError } from '../../errors';

export interface QueueBounds {
  /** Jobs (requests) waiting for a transaction; one more is refused. */
  maxPending: number;
  /** A job that has waited this long for its transaction is refused instead of committed. */
  maxWaitMs: number;
}

/** Seconds a refused client is asked to wait. */
export const OVERLOAD_RETRY_AFTER_S = 2;

export const overloaded = (why: string) =>
  new AppError(
    503,
    'unavailable',
    `the write queue is full (${why}); retry later`,
    undefined,
    OVERLOAD_RETRY_AFTER_S,
  );
