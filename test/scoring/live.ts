/** Helpers for scoring tests against a real collector: send batches at chosen times, read results. */

import type { manualClock } from '../../collector/clock';
import type { TransitionRow } from '../../collector/storage/schema';
import type { WireEvent } from '../../shared/events';
import { postBatch } from '../helpers/events';
import { TEST_SITE, type TestCollector } from '../helpers/server';

export type ManualClock = ReturnType<typeof manualClock>;

/** Posts events with `sent_at` = the collector's clock, so their `ts` are kept as given. */
export async function send(collector: TestCollector, clock: ManualClock, events: WireEvent[], ua?: string) {
  const response = await postBatch(
    collector.url,
    { site: TEST_SITE, sent_at: clock(), events },
    ua ? { 'user-agent': ua } : {},
  );
  if (response.status !== 202)
    throw new Error(`collect answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { accepted: number };
}

export async function contactByEmail(collector: TestCollector, email: string) {
  return collector.services.db
    .selectFrom('contacts')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

export async function contactOfAnon(collector: TestCollector, anon: string) {
  const link = await collector.services.db
    .selectFrom('anon_ids')
    .select('contact_id')
    .where('anon', '=', anon)
    .executeTakeFirstOrThrow();
  return collector.services.db
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', link.contact_id)
    .executeTakeFirstOrThrow();
}

export async function transitionsOf(collector: TestCollector, contactId: string): Promise<TransitionRow[]> {
  return collector.services.db
    .selectFrom('transitions')
    .selectAll()
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .execute();
}

export const at = (ts: number, event: WireEvent): WireEvent => ({ ...event, ts });
