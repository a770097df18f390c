/**
 * Accounts as the API serves them: one GROUP BY over `contacts` by company domain that measures
 * each account (sum of scores, members, best member, furthest stage, members at MQL or beyond),
 * and the scoring core's account policy (scoring/core/accounts.ts) that turns the measures into
 * the account score, `best_stage` and `qualified`. The list, the detail, the contact view and the
 * webhook body all read accounts through here.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Stage } from '../../shared/stages';
import { BEST_STAGE_ORDER, judgeAccount, QUALIFIED_MEMBER_STAGES } from '../scoring/core/accounts';
import type { Ruleset } from '../scoring/core/rules';
import type { Database } from '../storage/schema';

/** The account score as SQL (for HAVING min_score and ORDER BY): the sum of the members' scores. */
export const accountScore = (eb: ExpressionBuilder<Database, 'contacts'>) =>
  eb.fn.coalesce(eb.fn.sum<number>('score'), sql<number>`0`);

// Literals, not parameters: PostgreSQL would otherwise type the CASE arms as text.
const bestStageOrder = sql<number>`max(case ${sql.ref('stage')} ${sql.join(
  Object.entries(BEST_STAGE_ORDER).map(
    ([stage, order]) => sql`when ${sql.lit(stage)} then ${sql.lit(order)}`,
  ),
  sql` `,
)} else 0 end)`;

const qualifiedMembers = sql<number>`sum(case when ${sql.ref('stage')} in (${sql.join(
  QUALIFIED_MEMBER_STAGES.map((stage) => sql.lit(stage)),
)}) then 1 else 0 end)`;

/** The aggregate columns of an account row, shared by the list and the detail view. */
export const accountColumns = (eb: ExpressionBuilder<Database, 'contacts'>) =>
  [
    'domain',
    accountScore(eb).as('score'),
    eb.fn.countAll<number>().as('contacts'),
    eb.fn.max<number>('score').as('best_score'),
    eb.fn.max<number>('last_seen').as('last_seen'),
    bestStageOrder.as('best_stage_order'),
    qualifiedMembers.as('qualified_members'),
  ] as const;

/** `GET /api/accounts` rows, the head of `/api/accounts/:domain` and a contact's `account`. */
export interface AccountSummary {
  domain: string;
  /** Sum of the members' scores, one decimal. */
  score: number;
  contacts: number;
  best_score: number;
  /** The furthest stage any member reached. */
  best_stage: Stage;
  /** Members at MQL or beyond. */
  qualified_members: number;
  /** score ≥ the ruleset's account_threshold. */
  qualified: boolean;
  last_seen: number;
  best_contact: { id: string; email: string | null; name: string | null; score: number } | null;
}

/** Numbers come back as strings from some aggregates on PostgreSQL (SUM of integers is NUMERIC). */
export const toAccountSummary = (
  rules: Ruleset,
  row: {
    domain: string | null;
    score: unknown;
    contacts: unknown;
    best_score: unknown;
    best_stage_order: unknown;
    qualified_members: unknown;
    last_seen: unknown;
  },
  best: AccountSummary['best_contact'],
): AccountSummary => {
  const verdict = judgeAccount(
    { scoreSum: Number(row.score ?? 0), bestStageOrder: Number(row.best_stage_order ?? 0) },
    rules,
  );
  return {
    domain: row.domain ?? '',
    score: verdict.score,
    contacts: Number(row.contacts ?? 0),
    best_score: Number(row.best_score ?? 0),
    best_stage: verdict.best_stage,
    qualified_members: Number(row.qualified_members ?? 0),
    qualified: verdict.qualified,
    last_seen: Number(row.last_seen ?? 0),
    best_contact: best,
  };
};

export async function bestMember(db: Kysely<Database>, domain: string, site?: string) {
  let query = db.selectFrom('contacts').select(['id', 'email', 'name', 'score']).where('domain', '=', domain);
  if (site) query = query.where('site', '=', site);
  return (await query.orderBy('score', 'desc').orderBy('id').limit(1).executeTakeFirst()) ?? null;
}

export async function accountSummary(
  db: Kysely<Database>,
  rules: Ruleset,
  site: string | undefined,
  domain: string,
): Promise<AccountSummary | undefined> {
  let query = db
    .selectFrom('contacts')
    .select((eb) => accountColumns(eb))
    .where('domain', '=', domain.toLowerCase());
  if (site) query = query.where('site', '=', site);
  const row = await query.groupBy('domain').executeTakeFirst();
  if (!row) return undefined;
  return toAccountSummary(rules, row, await bestMember(db, row.domain!, site));
}
