/**
 * `GET /api/reports/cost`: what the leads, MQLs, SQLs and customers converted in the range cost,
 * by source (and medium) or by campaign, under one attribution model. Spend comes from imported
 * cost exports (spend/); conversions and their credit are those of the attribution report, plus
 * customers: a contact's first move to the `customer` stage. Spend that matches no campaign
 * visit in the range is listed under `unmatched`, and stays in the rows too.
 */
import type { Kysely } from 'kysely';
import type { SpendConfig } from '../../spend/config';
import type { Database } from '../../storage/schema';
import { conversionsInRange } from './conversions';
import { costTable, type GoalTimes, type Group, type SpendTotal } from './cost-table';
import { type ReportRange, rangeJson } from './range';
import { campaignVisitNames, customersInRange, spendInRange, visitKey } from './spend-in-range';
import { type Model, touchesOf } from './touches';

export const COST_NOTES = [
  'customers are contacts whose first move to the customer stage is in the range (stage transitions; imported outcomes are not read yet)',
  'revenue, ROAS and CLV need deal amounts, and no source of amounts exists yet: they are null',
];

export interface CostOptions {
  model: Model;
  group: Group;
}

/** Spend keys with no campaign visit of the same name in the range. */
export async function unmatchedSpend(db: Kysely<Database>, range: ReportRange, spend: readonly SpendTotal[]) {
  const seen = await campaignVisitNames(db, range);
  const byKey = new Map<
    string,
    { source: string; medium: string; campaign: string | null; micros: number }
  >();
  for (const row of spend) {
    const campaign = row.campaign === '' ? null : row.campaign;
    if (seen.has(visitKey(row.source, row.medium, campaign))) continue;
    const key = visitKey(row.source, row.medium, campaign);
    const entry = byKey.get(key) ?? { source: row.source, medium: row.medium, campaign, micros: 0 };
    entry.micros += row.cost_micros;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map(({ micros, ...rest }) => ({ ...rest, spend: Math.round(micros / 10_000) / 100 }))
    .sort((a, b) => b.spend - a.spend);
}

/** Every conversion in the range (lead, MQL, SQL, customer) per contact, with its time. */
export async function goalsInRange(
  db: Kysely<Database>,
  range: ReportRange,
): Promise<Map<string, GoalTimes>> {
  const goals = new Map<string, GoalTimes>();
  for (const [id, times] of await conversionsInRange(db, range)) goals.set(id, { ...times });
  for (const [id, at] of await customersInRange(db, range)) goals.set(id, { ...goals.get(id), customer: at });
  return goals;
}

/** `GET /api/reports/cost`. */
export type CostReport = Awaited<ReturnType<typeof costReport>>;

export async function costReport(
  db: Kysely<Database>,
  range: ReportRange,
  config: SpendConfig,
  options: CostOptions,
) {
  const [goals, spend] = await Promise.all([goalsInRange(db, range), spendInRange(db, range)]);
  const touches = await touchesOf(db, [...goals.keys()]);
  const table = costTable({ conversions: goals, touches, spend, ...options });
  const unmatched = await unmatchedSpend(db, range, spend);
  return {
    ...rangeJson(range),
    model: options.model,
    group: options.group,
    currency: config.currency,
    rows: table.rows,
    totals: {
      ...table.totals,
      unmatched_spend: Math.round(unmatched.reduce((n, u) => n + u.spend, 0) * 100) / 100,
      revenue: null,
      roas: null,
      clv: null,
    },
    unmatched,
    notes: COST_NOTES,
  };
}
