/**
 * The touches of converted contacts and how a conversion's credit is shared among them under
 * each attribution model: first touch (all credit to the visit that found us), last touch (to
 * the visit just before converting) and linear (equal shares over every touch before
 * converting). A touch is a session's entry page view — a campaign, a referrer or a direct visit
 * — by the same rule as the contact's stored first/last touch. Bot events never count.
 */
import type { Kysely } from 'kysely';
import { type Touch, touchOf } from '../../ingest/touch';
import type { Database, NewEventRow } from '../../storage/schema';
import { chunks } from './conversions';

export const MODELS = ['first_touch', 'last_touch', 'linear'] as const;
export type Model = (typeof MODELS)[number];

export type TouchName = Pick<Touch, 'source' | 'medium' | 'campaign'>;

export const NO_TOUCH: TouchName = { source: '(none)', medium: '(none)', campaign: null };

/** Each contact's touches in time order, one per session (its first qualifying page view). */
export async function touchesOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, Touch[]>> {
  const touches = new Map<string, Touch[]>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('events')
      .select([
        'contact_id',
        'session',
        'type',
        'ts',
        'bot',
        'url',
        'ref',
        'ref_kind',
        'campaign',
        'utm_source',
        'utm_medium',
        'utm_campaign',
      ])
      .where('contact_id', 'in', chunk)
      .where('type', '=', 'page')
      .where('bot', '=', 0)
      .orderBy('ts')
      .orderBy('seq')
      .execute();
    const sessions = new Set<string>();
    for (const row of rows) {
      const touch = touchOf(row as NewEventRow);
      if (!touch) continue;
      if (row.session) {
        const key = `${row.contact_id}\u0000${row.session}`;
        if (sessions.has(key)) continue;
        sessions.add(key);
      }
      const list = touches.get(row.contact_id!);
      if (list) list.push(touch);
      else touches.set(row.contact_id!, [touch]);
    }
  }
  return touches;
}

/**
 * Shares one conversion at `at` among the contact's touches before it, calling `credit` once per
 * (model, touch) with the share: 1 for first and last touch, 1/n for each of n linear touches.
 * A conversion with no touch before it goes to `(none)` under every model.
 */
export function shareConversion(
  all: readonly Touch[],
  at: number,
  credit: (model: Model, touch: TouchName, share: number) => void,
): void {
  const before = all.filter((t) => t.ts <= at);
  if (before.length === 0) {
    for (const model of MODELS) credit(model, NO_TOUCH, 1);
    return;
  }
  credit('first_touch', before[0]!, 1);
  credit('last_touch', before.at(-1)!, 1);
  for (const touch of before) credit('linear', touch, 1 / before.length);
}
