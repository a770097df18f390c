/**
 * Where people come from: for the people first seen in the range, their first-touch source and
 * medium with how many became leads, MQLs and SQLs; and entrances (page views arriving from
 * outside the site) by channel — search, social, email, paid, referral, direct.
 */
import { type Kysely, sql } from 'kysely';
import { STAGE_RANK, type Stage } from '../../../shared/stages';
import { storedName } from '../../ingest/source-name';
import type { Database } from '../../storage/schema';
import { humanCohort } from './cohort';
import { type ReportRange, rangeJson, rate } from './range';

export async function sourcesReport(db: Kysely<Database>, range: ReportRange) {
  const cohort = await humanCohort(db, range)
    .select(['c.source', 'c.medium', 'c.stage', 'c.email', 'c.user_id', 'c.mql_at', 'c.sql_at'])
    .execute();
  const bySource = new Map<
    string,
    { source: string; medium: string; visitors: number; leads: number; mqls: number; sqls: number }
  >();
  for (const c of cohort) {
    // Named again on read: contacts first seen by older versions stored `www.google.com / search`.
    const named = storedName(c.source, c.medium);
    const source = named.source ?? '(none)';
    const medium = named.medium ?? '(none)';
    const key = `${source}\u0000${medium}`;
    let row = bySource.get(key);
    if (!row) {
      row = { source, medium, visitors: 0, leads: 0, mqls: 0, sqls: 0 };
      bySource.set(key, row);
    }
    const rank = STAGE_RANK[c.stage as Stage] ?? 0;
    const sqlReached = c.sql_at !== null || rank >= STAGE_RANK.sql;
    const mqlReached = sqlReached || c.mql_at !== null || rank >= STAGE_RANK.mql;
    row.visitors++;
    if (mqlReached || rank >= STAGE_RANK.lead || c.email !== null || c.user_id !== null) row.leads++;
    if (mqlReached) row.mqls++;
    if (sqlReached) row.sqls++;
  }

  const channels = await db
    .selectFrom('events')
    .select([
      sql<string>`coalesce(ref_kind, 'direct')`.as('channel'),
      (eb) => eb.fn.countAll<number>().as('entrances'),
      (eb) => eb.fn.count<number>('contact_id').distinct().as('visitors'),
    ])
    .where('site', 'in', range.sites)
    .where('ts', '>=', range.from)
    .where('ts', '<', range.to)
    .where('type', '=', 'page')
    .where('bot', '=', 0)
    .where((eb) => eb.or([eb('ref_kind', 'is', null), eb('ref_kind', '!=', 'internal')]))
    .groupBy(sql`coalesce(ref_kind, 'direct')`)
    .execute();

  return {
    ...rangeJson(range),
    sources: [...bySource.values()]
      .map((r) => ({ ...r, lead_rate: rate(r.leads, r.visitors) }))
      .sort((a, b) => b.visitors - a.visitors || a.source.localeCompare(b.source)),
    channels: channels
      .map((r) => ({ channel: r.channel, entrances: Number(r.entrances), visitors: Number(r.visitors) }))
      .sort((a, b) => b.entrances - a.entrances),
  };
}
