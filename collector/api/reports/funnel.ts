/**
 * The funnel visitor → lead → MQL → SQL for the cohort of people first seen in the range: how
 * many of them got how far, the conversion rate of each step, and the median time from first
 * visit to MQL and to SQL. A contact that skipped a step (a demo request makes an SQL straight
 * from lead) counts at every step it passed. Contacts seen only through bot events are left out.
 */
import type { Kysely } from 'kysely';
import { STAGE_RANK, type Stage } from '../../../shared/stages';
import type { Database } from '../../storage/schema';
import { humanCohort } from './cohort';
import { firstQualified } from './conversions';
import { median, type ReportRange, rangeJson, rate } from './range';

export async function funnelReport(db: Kysely<Database>, range: ReportRange) {
  const cohort = await humanCohort(db, range)
    .select(['c.id', 'c.stage', 'c.email', 'c.user_id', 'c.first_seen', 'c.mql_at', 'c.sql_at'])
    .execute();

  const missing = cohort.filter((c) => c.mql_at === null || c.sql_at === null).map((c) => c.id);
  const transitions = await firstQualified(db, missing);

  let leads = 0;
  let mqls = 0;
  let sqls = 0;
  const toMql: number[] = [];
  const toSql: number[] = [];
  for (const contact of cohort) {
    const rank = STAGE_RANK[contact.stage as Stage] ?? 0;
    const sqlAt = contact.sql_at ?? transitions.get(contact.id)?.sql ?? null;
    // An SQL that skipped MQL (a demo request) passed the MQL step when it became an SQL.
    const mqlAt = contact.mql_at ?? transitions.get(contact.id)?.mql ?? sqlAt;
    const reachedSql = sqlAt !== null || rank >= STAGE_RANK.sql;
    const reachedMql = reachedSql || mqlAt !== null || rank >= STAGE_RANK.mql;
    const reachedLead =
      reachedMql || rank >= STAGE_RANK.lead || contact.email !== null || contact.user_id !== null;
    if (reachedLead) leads++;
    if (reachedMql) mqls++;
    if (reachedSql) sqls++;
    if (mqlAt !== null) toMql.push(mqlAt - contact.first_seen);
    if (sqlAt !== null) toSql.push(sqlAt - contact.first_seen);
  }
  const visitors = cohort.length;
  return {
    ...rangeJson(range),
    counts: { visitors, leads, mqls, sqls },
    rates: {
      visitor_to_lead: rate(leads, visitors),
      lead_to_mql: rate(mqls, leads),
      mql_to_sql: rate(sqls, mqls),
      visitor_to_sql: rate(sqls, visitors),
    },
    median_ms: { to_mql: median(toMql), to_sql: median(toSql) },
  };
}
