/**
 * The account rollup (accounts.ts) as one GROUP BY over `contacts`, for callers that should not
 * load every member: same policy, same numbers (a test holds the two together).
 */
import { type Kysely, sql } from 'kysely';
import { STAGE_RANK, STAGES } from '../../shared/stages';
import type { Database } from '../storage/schema';
import { type Account, BEST_STAGE_ORDER, stageByBestOrder } from './core/accounts';
import type { Ruleset } from './core/rules';

export interface AccountQuery {
  site?: string;
  domain?: string;
  minScore?: number;
  limit?: number;
}

// Literals, not parameters: PostgreSQL would otherwise type the CASE arms as text.
const bestOrder = sql<number>`max(case ${sql.ref('stage')} ${sql.join(
  STAGES.map((stage) => sql`when ${sql.lit(stage)} then ${sql.lit(BEST_STAGE_ORDER[stage])}`),
  sql` `,
)} else 0 end)`;

const qualifiedStages = STAGES.filter((stage) => STAGE_RANK[stage] >= STAGE_RANK.mql);
const qualifiedMembers = sql<number>`sum(case when ${sql.ref('stage')} in (${sql.join(
  qualifiedStages.map((stage) => sql.lit(stage)),
)}) then 1 else 0 end)`;

export async function queryAccounts(
  db: Kysely<Database>,
  rules: Ruleset,
  query: AccountQuery = {},
): Promise<Account[]> {
  let select = db
    .selectFrom('contacts')
    .select((eb) => [
      'domain',
      eb.fn.sum<number>('score').as('score'),
      eb.fn.countAll<number>().as('members'),
      eb.fn.max<number>('score').as('best_score'),
      bestOrder.as('best_order'),
      qualifiedMembers.as('qualified_members'),
      eb.fn.max<number>('last_seen').as('last_seen'),
    ])
    .where('domain', 'is not', null);
  if (query.site) select = select.where('site', '=', query.site);
  if (query.domain) select = select.where('domain', '=', query.domain.toLowerCase());
  let grouped = select.groupBy('domain');
  if (query.minScore !== undefined) {
    const min = query.minScore;
    grouped = grouped.having((eb) => eb.fn.sum('score'), '>=', min);
  }
  const rows = await grouped
    .orderBy(sql`sum(score)`, 'desc')
    .orderBy('domain')
    .limit(query.limit ?? 100)
    .execute();
  return rows.map((row) => {
    const score = Math.round(Number(row.score) * 10) / 10;
    return {
      domain: row.domain!,
      score,
      members: Number(row.members),
      best_score: Number(row.best_score),
      best_stage: stageByBestOrder(Number(row.best_order)),
      qualified_members: Number(row.qualified_members),
      qualified: score >= rules.account_threshold,
      last_seen: Number(row.last_seen),
    };
  });
}
