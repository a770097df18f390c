/**
 * Counts PostgreSQL round trips (one per query the driver sends, BEGIN and COMMIT included)
 * made inside a piece of work. Each query is one network round trip with `pg`, so this is the
 * figure that decides a group commit's latency on PostgreSQL, and, unlike throughput, it does
 * not depend on how loaded the machine is. The scope follows the async context, so work
 * running at the same time on other connections is not mixed in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Tally {
  trips: number;
}

const scope = new AsyncLocalStorage<Tally>();

/** Called by the PostgreSQL driver wrapper (dialects/postgres.ts) for every query it sends. */
export function noteRoundTrip(): void {
  const tally = scope.getStore();
  if (tally) tally.trips++;
}

/** Runs `work` and reports how many round trips it made (on SQLite always 0). */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; trips: number }> {
  const tally: Tally = { trips: 0 };
  const result = await scope.run(tally, work);
  return { result, trips: tally.trips };
}
