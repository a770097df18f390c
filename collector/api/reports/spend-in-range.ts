/**
 * What the cost report reads besides conversions: the spend rows whose day starts inside the
 * range, the names (source / medium / campaign) of the campaign visits in the range — to tell
 * spend that matches visits from spend that matches nothing, usually a campaign named one way
 * in the ad platform and another in the UTM tags — and the customers won in the range.
 */
import type { Kysely } from 'kysely';
import { nameTouch } from '../../ingest/source-name';
import type { Database } from '../../storage/schema';
import type { SpendTotal } from './cost-table';
import type { ReportRange } from './range';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Days whose midnight (UTC) is in [from, to): a day's spend belongs to the range it starts in. */
export function daysOf(range: Pick<ReportRange, 'from' | 'to'>): { first: string; last: string } | null {
  const first = Math.ceil(range.from / DAY) * DAY;
  const last = Math.floor((range.to - 1) / DAY) * DAY;
  return first > last ? null : { first: isoDay(first), last: isoDay(last) };
}

export async function spendInRange(db: Kysely<Database>, range: ReportRange): Promise<SpendTotal[]> {
  const days = daysOf(range);
  if (!days) return [];
  const rows = await db
    .selectFrom('spend')
    .select(['source', 'medium', 'campaign', 'cost_micros', 'impressions', 'clicks'])
    .where('day', '>=', days.first)
    .where('day', '<=', days.last)
    .execute();
  return rows.map((r) => ({
    ...r,
    cost_micros: Number(r.cost_micros),
    impressions: r.impressions === null ? null : Number(r.impressions),
    clicks: r.clicks === null ? null : Number(r.clicks),
  }));
}

/** `source / medium / campaign` of every UTM-tagged visit in the range (campaign '' when untagged). */
export async function campaignVisitNames(db: Kysely<Database>, range: ReportRange): Promise<Set<string>> {
  const rows = await db
    .selectFrom('events')
    .select(['utm_source', 'utm_medium', 'utm_campaign', 'ref_kind'])
    .distinct()
    .where('site', 'in', range.sites)
    .where('ts', '>=', range.from)
    .where('ts', '<', range.to)
    .where('type', '=', 'page')
    .where('bot', '=', 0)
    .where('utm_source', 'is not', null)
    .execute();
  const names = new Set<string>();
  for (const row of rows) {
    const name = nameTouch({
      utmSource: row.utm_source,
      utmMedium: row.utm_medium,
      utmCampaign: row.utm_campaign,
      refHost: null,
      kind: row.ref_kind ?? 'direct',
      clickIds: null,
    });
    names.add(visitKey(name.source ?? '', name.medium ?? '', name.campaign ?? ''));
    names.add(visitKey(name.source ?? '', name.medium ?? '', null));
  }
  return names;
}

/** A spend key as looked up among visit names; `null` campaign = any campaign of that source / medium. */
export const visitKey = (source: string, medium: string, campaign: string | null) =>
  JSON.stringify([source, medium, campaign]);

/** Contacts whose first move to `customer` happened in the range, with when. */
export async function customersInRange(
  db: Kysely<Database>,
  range: ReportRange,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('transitions')
    .select(['contact_id', (eb) => eb.fn.min<number>('at').as('at')])
    .where('site', 'in', range.sites)
    .where('to_stage', '=', 'customer')
    .groupBy('contact_id')
    .having((eb) => eb.fn.min('at'), '>=', range.from)
    .having((eb) => eb.fn.min('at'), '<', range.to)
    .execute();
  return new Map(rows.map((r) => [r.contact_id, Number(r.at)]));
}
