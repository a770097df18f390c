/**
 * The prediction moments: every 7 days from `from` while the horizon after them still ends by
 * `to`, so every example's outcome window is fully observed.
 */
import { DAY_MS } from '../visits';

export const CUTOFF_STEP_MS = 7 * DAY_MS;

export function auditCutoffs(from: number, to: number, horizonMs: number): number[] {
  const cutoffs: number[] = [];
  for (let t = from; t <= to - horizonMs; t += CUTOFF_STEP_MS) cutoffs.push(t);
  return cutoffs;
}
