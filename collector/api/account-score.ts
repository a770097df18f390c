/**
 * Accounts are contacts grouped by company email domain (free-mail addresses have no domain, so
 * no account). An account's score is the SUM of its members' scores, so a buying committee of
 * several engaged people outranks a single enthusiast even when no one crosses the MQL line on
 * their own. This is the one place that decides it: swap `accountScore` to change the policy.
 */
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../storage/schema';

const QUALIFIED_STAGES = ['mql', 'sal', 'sql', 'opportunity', 'customer'] as const;

export const accountScore = (eb: ExpressionBuilder<Database, 'contacts'>) =>
  eb.fn.coalesce(eb.fn.sum<number>('score'), sql<number>`0`);

/** The aggregate columns of an account row, shared by the list and the detail view. */
export const accountColumns = (eb: ExpressionBuilder<Database, 'contacts'>) =>
  [
    'domain',
    accountScore(eb).as('score'),
    eb.fn.countAll<number>().as('contacts'),
    eb.fn.max<number>('score').as('best_score'),
    eb.fn.max<number>('last_seen').as('last_seen'),
    eb.fn.sum<number>(eb.case().when('stage', 'in', QUALIFIED_STAGES).then(1).else(0).end()).as('qualified'),
  ] as const;

export interface AccountSummary {
  domain: string;
  score: number;
  contacts: number;
  best_score: number;
  /** Members at MQL or beyond. */
  qualified: number;
  last_seen: number;
  best_contact: { id: string; email: string | null; name: string | null; score: number } | null;
}

/** Numbers come back as strings from some aggregates on PostgreSQL (SUM of integers is NUMERIC). */
export const toAccountSummary = (
  row: {
    domain: string | null;
    score: unknown;
    contacts: unknown;
    best_score: unknown;
    qualified: unknown;
    last_seen: unknown;
  },
  best: AccountSummary['best_contact'],
): AccountSummary => ({
  domain: row.domain ?? '',
  score: Number(row.score ?? 0),
  contacts: Number(row.contacts ?? 0),
  best_score: Number(row.best_score ?? 0),
  qualified: Number(row.qualified ?? 0),
  last_seen: Number(row.last_seen ?? 0),
  best_contact: best,
});

export async function bestMember(db: Kysely<Database>, domain: string, site?: string) {
  let query = db.selectFrom('contacts').select(['id', 'email', 'name', 'score']).where('domain', '=', domain);
  if (site) query = query.where('site', '=', site);
  return (await query.orderBy('score', 'desc').orderBy('id').limit(1).executeTakeFirst()) ?? null;
}

export async function accountSummary(
  db: Kysely<Database>,
  site: string | undefined,
  domain: string,
): Promise<AccountSummary | undefined> {
  let query = db
    .selectFrom('contacts')
    .select((eb) => accountColumns(eb))
    .where('domain', '=', domain);
  if (site) query = query.where('site', '=', site);
  const row = await query.groupBy('domain').executeTakeFirst();
  if (!row) return undefined;
  return toAccountSummary(row, await bestMember(db, domain, site));
}
