/**
 * The one aggregate the API has no report for (yet): how many leads sit in each score band. A
 * single grouped query over the contacts table, portable to SQLite and PostgreSQL (a CASE ladder
 * rather than floor(), which older SQLite builds lack). Everything else on the dashboard comes
 * from the API; this would move there as `/api/reports/scores` if another client needs it.
 */
import type { Kysely } from 'kysely';
import { leadsOnly } from '../storage/lead-filter';
import type { Database } from '../storage/schema';

export const SCORE_BANDS = [
  { label: '<0', below: 0 },
  { label: '0–9', below: 10 },
  { label: '10–19', below: 20 },
  { label: '20–29', below: 30 },
  { label: '30–39', below: 40 },
  { label: '40–49', below: 50 },
  { label: '50–59', below: 60 },
  { label: '60–69', below: 70 },
  { label: '70–79', below: 80 },
  { label: '80–89', below: 90 },
  { label: '90–99', below: 100 },
  { label: '100+', below: Number.POSITIVE_INFINITY },
] as const;

export interface ScoreBand {
  label: string;
  /** Lowest score in the band (−∞ for the first). */
  from: number;
  count: number;
}

/** Identified contacts active in [from, to) of the given sites, counted per score band. */
export async function scoreDistribution(
  db: Kysely<Database>,
  range: { from: number; to: number; sites: readonly string[] },
): Promise<ScoreBand[]> {
  const rows = await db
    .selectFrom('contacts')
    .select((eb) => {
      let ladder = eb.case().when('score', '<', SCORE_BANDS[0].below).then(0);
      SCORE_BANDS.slice(1, -1).forEach((band, i) => {
        ladder = ladder.when('score', '<', band.below).then(i + 1);
      });
      return [
        ladder
          .else(SCORE_BANDS.length - 1)
          .end()
          .as('band'),
        eb.fn.countAll<number>().as('count'),
      ];
    })
    .where(leadsOnly)
    .where('site', 'in', [...range.sites])
    .where('last_seen', '>=', range.from)
    .where('first_seen', '<', range.to)
    .groupBy('band')
    .execute();
  const counts = new Map(rows.map((r) => [Number(r.band), Number(r.count)]));
  return SCORE_BANDS.map((band, i) => ({
    label: band.label,
    from: i === 0 ? Number.NEGATIVE_INFINITY : SCORE_BANDS[i - 1]!.below,
    count: counts.get(i) ?? 0,
  }));
}
