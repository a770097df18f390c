/**
 * Recompute every contact from the event log with the live rules — after a publish, a config
 * bump (the config's newer `scoring` is stored and made live first), or to repair. Walks contacts in id order in small transactions (ingestion keeps flowing between
 * them) through the same score → lifecycle → outbox stages the live path uses. A cursor in the `meta` table records
 * how far it got, so a stopped run resumes where it left off (for the same ruleset version).
 */
import { sql } from 'kysely';
import { enqueueWebhooks } from '../outbox/enqueue';
import type { Services } from '../services';
import { writeTransaction } from '../storage/database';
import type { TransitionRow } from '../storage/schema';
import { advanceLifecycle, scoreContacts } from './apply';
import { createLiveRules, type LiveRules } from './live-rules';
import { seedRulesets } from './versions';

export const RESCORE_CURSOR_KEY = 'rescore.cursor';

export type RescoreTarget = Pick<Services, 'db' | 'config' | 'clock'> & { rules?: LiveRules };

export interface RescoreOptions {
  /** Contacts per transaction (default 200). */
  batchSize?: number;
  /** Ignore a saved cursor and start from the first contact. */
  restart?: boolean;
  onStart?(progress: { total: number; done: number; resumed: boolean }): void;
  onBatch?(progress: { total: number; done: number; events: number }): void;
  /** Checked between batches: true stops the run, keeping the cursor for a resume. */
  shouldStop?(): boolean;
  /** The actor of the transitions it records (default `auto`). */
  actor?: string;
  /** Which recorded transitions go to the outbox (default: all). */
  notify?(transition: TransitionRow): boolean;
}

export interface RescoreReport {
  /** The live version when the run started. */
  version: number;
  contacts: number;
  events: number;
  transitions: number;
  resumed: boolean;
  complete: boolean;
}

interface Cursor {
  version: number;
  after: string;
  done: number;
  started_at: number;
}

async function readCursor(target: RescoreTarget): Promise<Cursor | null> {
  const row = await target.db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', RESCORE_CURSOR_KEY)
    .executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.value) as Cursor;
  } catch {
    return null;
  }
}

export async function rescoreAll(
  target: RescoreTarget,
  options: RescoreOptions = {},
): Promise<RescoreReport> {
  const { db, config, clock } = target;
  await seedRulesets(db, config.scoring, clock());
  const live = target.rules ?? createLiveRules(config.scoring);
  const rules = await live.current(db);
  const batchSize = options.batchSize ?? 200;
  const saved = options.restart ? null : await readCursor(target);
  const resumed = saved !== null && saved.version === rules.version;
  const cursor: Cursor = resumed
    ? saved
    : { version: rules.version, after: '', done: 0, started_at: clock() };
  const { count } = await db
    .selectFrom('contacts')
    .select(sql<number>`count(*)`.as('count'))
    .executeTakeFirstOrThrow();
  const total = Number(count);
  options.onStart?.({ total, done: cursor.done, resumed });

  const report: RescoreReport = {
    version: rules.version,
    contacts: 0,
    events: 0,
    transitions: 0,
    resumed,
    complete: false,
  };
  for (;;) {
    if (options.shouldStop?.()) return report;
    const ids = (
      await db
        .selectFrom('contacts')
        .select('id')
        .where('id', '>', cursor.after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
    ).map((row) => row.id);
    if (ids.length === 0) break;
    cursor.after = ids.at(-1)!;
    cursor.done += ids.length;
    const summary = await writeTransaction(db, async (trx) => {
      const scoring = { trx, config, now: clock(), live, ...(options.actor ? { actor: options.actor } : {}) };
      const scored = await scoreContacts(scoring, ids);
      const transitions = await advanceLifecycle(scoring, scored);
      const notified = options.notify ? transitions.filter(options.notify) : transitions;
      await enqueueWebhooks(trx, config, notified, scoring.now);
      const value = JSON.stringify(cursor);
      await trx
        .insertInto('meta')
        .values({ key: RESCORE_CURSOR_KEY, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
      return {
        contacts: scored.length,
        events: scored.reduce((sum, s) => sum + s.events.length, 0),
        transitions: transitions.length,
      };
    });
    report.contacts += summary.contacts;
    report.events += summary.events;
    report.transitions += summary.transitions;
    options.onBatch?.({ total, done: cursor.done, events: summary.events });
  }
  await db.deleteFrom('meta').where('key', '=', RESCORE_CURSOR_KEY).execute();
  report.complete = true;
  return report;
}
