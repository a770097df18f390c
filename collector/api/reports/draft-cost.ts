/**
 * What a rule change costs: cost per MQL in a date range under the live ruleset and under a
 * draft, side by side, by source or campaign under one attribution model. Both sides are
 * replayed from the event log (scoring/core/replay.ts), so the only difference between them is
 * the rules: an MQL is a contact whose replayed score reached the threshold while identified,
 * at the moment it did — as the backtest counts them. A looser draft shows more MQLs, each
 * cheaper, from the same spend. Reads only.
 */
import type { Kysely } from 'kysely';
import { mqlMoment } from '../../scoring/core/replay';
import type { Ruleset } from '../../scoring/core/rules';
import { profileOf, scoringEventsOf } from '../../scoring/rows';
import type { SpendConfig } from '../../spend/config';
import type { Database } from '../../storage/schema';
import { type CostRow, costTable, type GoalTimes, type Group } from './cost-table';
import { type ReportRange, rangeJson } from './range';
import { spendInRange } from './spend-in-range';
import { type Model, touchesOf } from './touches';

export interface DraftCostRow {
  source: string;
  medium: string;
  campaign?: string | null;
  spend: number;
  live_mqls: number;
  live_cost_per_mql: number | null;
  draft_mqls: number;
  draft_cost_per_mql: number | null;
  /** Which side's cost per MQL is infinite (spend, no MQL). */
  infinite: ('live' | 'draft')[];
}

/** Each identified contact's MQL moment under both rulesets, when it falls in the range. */
async function mqlsInRange(
  db: Kysely<Database>,
  range: ReportRange,
  live: Ruleset,
  draft: Ruleset,
  onBatch?: (done: number) => void,
) {
  const found = { live: new Map<string, GoalTimes>(), draft: new Map<string, GoalTimes>() };
  const inRange = (t: number | null): t is number => t !== null && t >= range.from && t < range.to;
  let after = '';
  let done = 0;
  for (;;) {
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'email', 'user_id', 'traits'])
      .where('site', 'in', range.sites)
      .where((eb) => eb.or([eb('email', 'is not', null), eb('user_id', 'is not', null)]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (contacts.length === 0) break;
    after = contacts.at(-1)!.id;
    const byContact = await scoringEventsOf(
      db,
      contacts.map((c) => c.id),
    );
    for (const contact of contacts) {
      const events = byContact.get(contact.id) ?? [];
      const profile = profileOf(contact);
      const liveAt = mqlMoment(events, profile, live);
      const draftAt = mqlMoment(events, profile, draft);
      if (inRange(liveAt)) found.live.set(contact.id, { mql: liveAt });
      if (inRange(draftAt)) found.draft.set(contact.id, { mql: draftAt });
    }
    done += contacts.length;
    onBatch?.(done);
  }
  return found;
}

const keyOf = (r: Pick<CostRow, 'source' | 'medium' | 'campaign'>) =>
  JSON.stringify([r.source, r.medium, r.campaign ?? null]);

export async function draftCost(
  db: Kysely<Database>,
  range: ReportRange,
  config: SpendConfig,
  rules: { live: Ruleset; draft: Ruleset },
  options: { model: Model; group: Group; onBatch?: (done: number) => void },
) {
  const mqls = await mqlsInRange(db, range, rules.live, rules.draft, options.onBatch);
  const touches = await touchesOf(db, [...new Set([...mqls.live.keys(), ...mqls.draft.keys()])]);
  const spend = await spendInRange(db, range);
  const table = (conversions: Map<string, GoalTimes>) =>
    costTable({ conversions, touches, spend, model: options.model, group: options.group });
  const live = table(mqls.live);
  const draft = table(mqls.draft);

  const rows = new Map<string, DraftCostRow>();
  const rowOf = (r: CostRow) => {
    const key = keyOf(r);
    let row = rows.get(key);
    if (!row) {
      row = {
        source: r.source,
        medium: r.medium,
        ...('campaign' in r ? { campaign: r.campaign } : {}),
        spend: r.spend,
        live_mqls: 0,
        live_cost_per_mql: null,
        draft_mqls: 0,
        draft_cost_per_mql: null,
        infinite: [],
      };
      rows.set(key, row);
    }
    return row;
  };
  for (const [side, result] of [
    ['live', live],
    ['draft', draft],
  ] as const) {
    for (const r of result.rows) {
      const row = rowOf(r);
      row[`${side}_mqls`] = r.mqls;
      row[`${side}_cost_per_mql`] = r.cost_per_mql;
      if (r.infinite.includes('cost_per_mql')) row.infinite.push(side);
    }
  }
  const side = (ruleset: Ruleset, t: typeof live) => ({
    version: ruleset.version,
    mql_threshold: ruleset.mql_threshold,
    mqls: t.totals.mqls,
    cost_per_mql: t.totals.cost_per_mql,
    infinite: t.totals.infinite.includes('cost_per_mql'),
  });
  return {
    ...rangeJson(range),
    model: options.model,
    group: options.group,
    currency: config.currency,
    spend: live.totals.spend,
    live: side(rules.live, live),
    draft: side(rules.draft, draft),
    rows: [...rows.values()].sort(
      (a, b) => b.spend - a.spend || b.draft_mqls - a.draft_mqls || a.source.localeCompare(b.source),
    ),
  };
}

export type DraftCostReport = Awaited<ReturnType<typeof draftCost>>;
