/**
 * Engagement decays with time, and temperature looks at the last 14 days, so a stored score goes
 * stale even when nothing happens. The refresh re-scores contacts whose score is older than
 * `staleAfterMs` — oldest first, in small transactions, through the same scoreContacts as
 * ingestion (so a score that falls under a penalty's decay can still trigger a forward move).
 * Safe in several processes at once: scoring locks each contact, a double refresh only repeats work.
 *
 * Anonymous visitors are left out: decay cannot move them to another stage, the feed does not
 * list them, and they are re-scored on their next visit or on identify anyway.
 */
import { enqueueWebhooks } from '../outbox/enqueue';
import type { Services } from '../services';
import { writeTransaction } from '../storage/database';
import { leadsOnly } from '../storage/lead-filter';
import { advanceLifecycle, scoreContacts } from './apply';
import { createLiveRules, type LiveRules } from './live-rules';

export type RefreshTarget = Pick<Services, 'db' | 'config' | 'clock'> & { rules?: LiveRules };

export interface RefreshOptions {
  /** How often a pass runs (default 15 minutes). */
  intervalMs?: number;
  /** Scores older than this are refreshed (default 6 hours). */
  staleAfterMs?: number;
  /** Contacts per transaction (default 200). */
  batchSize?: number;
  /** Upper bound on contacts per pass, so a pass never runs for long (default 20,000). */
  maxPerPass?: number;
}

/**
 * Identified contacts whose score is older than `cutoff`, oldest first. Every contact is scored
 * in the transaction that creates it, so `scored_at` is never null here; the terms match the
 * partial index of migration 0004. Nothing decays for a contact with no engagement and nothing
 * recent: those are left alone.
 */
export function staleContacts(db: RefreshTarget['db'], cutoff: number, cold: string, limit: number) {
  return db
    .selectFrom('contacts')
    .select('id')
    .where(leadsOnly)
    .where('scored_at', 'is not', null)
    .where('scored_at', '<', cutoff)
    .where((eb) =>
      eb.or([eb('engagement', '!=', 0), eb('temperature', '!=', cold), eb('temperature', 'is', null)]),
    )
    .orderBy('scored_at')
    .limit(limit);
}

/** One pass: re-scores stale contacts that have something that can still change. */
export async function refreshStaleScores(
  target: RefreshTarget,
  options: RefreshOptions = {},
): Promise<number> {
  const { db, config, clock } = target;
  const batchSize = options.batchSize ?? 200;
  const maxPerPass = options.maxPerPass ?? 20_000;
  const cutoff = clock() - (options.staleAfterMs ?? 6 * 3_600_000);
  const live = target.rules ?? createLiveRules(config.scoring);
  const cold = (await live.current(db)).temperature.otherwise;
  let refreshed = 0;
  while (refreshed < maxPerPass) {
    const ids = (await staleContacts(db, cutoff, cold, batchSize).execute()).map((row) => row.id);
    if (ids.length === 0) break;
    await writeTransaction(db, async (trx) => {
      const scoring = { trx, config, now: clock(), live };
      const transitions = await advanceLifecycle(scoring, await scoreContacts(scoring, ids));
      await enqueueWebhooks(trx, config, transitions, scoring.now);
    });
    refreshed += ids.length;
    if (ids.length < batchSize) break;
  }
  return refreshed;
}

/** The periodic worker; `stop()` waits for a running pass to finish. */
export function startDecayRefresh(
  target: RefreshTarget,
  options: RefreshOptions = {},
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(
    () => {
      running = running
        .then(() => (stopped ? 0 : refreshStaleScores(target, options)))
        .catch((error) => console.error('score refresh failed', error));
    },
    options.intervalMs ?? 15 * 60_000,
  );
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
