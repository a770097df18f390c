/**
 * Feeds every contact and its log to the backtest, a batch at a time, reading only (no
 * transaction, no lock, nothing written).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import { type BacktestReport, createBacktest } from './core/backtest';
import type { Ruleset } from './core/rules';
import { PROFILE_COLUMNS, profileOf, scoringEventsOf } from './rows';

export interface BacktestOptions {
  batchSize?: number;
  /** Score as of this moment too: the distribution and MQLs per week (the preview). */
  asOf?: number;
  onStart?(total: number): void;
  onBatch?(done: number): void;
}

export async function runBacktest(
  db: Kysely<Database>,
  current: Ruleset,
  draft: Ruleset,
  options: BacktestOptions = {},
): Promise<BacktestReport> {
  const batchSize = options.batchSize ?? 500;
  const backtest = createBacktest(current, draft, options.asOf === undefined ? {} : { asOf: options.asOf });
  const { count } = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  options.onStart?.(Number(count));
  let after = '';
  let done = 0;
  for (;;) {
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', ...PROFILE_COLUMNS, 'stage', 'sql_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (contacts.length === 0) break;
    after = contacts.at(-1)!.id;
    const byContact = await scoringEventsOf(
      db,
      contacts.map((c) => c.id),
    );
    for (const contact of contacts) {
      backtest.add({
        id: contact.id,
        email: contact.email,
        stage: contact.stage,
        sql_at: contact.sql_at === null ? null : Number(contact.sql_at),
        profile: profileOf(contact),
        events: byContact.get(contact.id) ?? [],
      });
    }
    done += contacts.length;
    options.onBatch?.(done);
  }
  return backtest.report();
}
