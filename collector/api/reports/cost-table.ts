/**
 * The arithmetic of the cost report, pure: conversions credited to touches under one model,
 * spend added up on the same key, and the ratios. A group with spend and no conversions costs
 * infinitely much per conversion: the JSON has `null` for that cost and names it in `infinite`,
 * rather than dividing by zero. A group without any spend row has `null` costs and no
 * `infinite` entry (nothing is known about what it cost).
 */
import type { Touch } from '../../ingest/touch';
import { type Model, shareConversion, type TouchName } from './touches';

export const COST_GOALS = ['lead', 'mql', 'sql', 'customer'] as const;
export type CostGoal = (typeof COST_GOALS)[number];
export type GoalTimes = Partial<Record<CostGoal, number>>;

export const GROUPS = ['source', 'campaign'] as const;
export type Group = (typeof GROUPS)[number];

export interface SpendTotal {
  source: string;
  medium: string;
  /** '' when not tied to a campaign. */
  campaign: string;
  cost_micros: number;
  impressions: number | null;
  clicks: number | null;
}

type CostKey = `cost_per_${CostGoal}`;

export interface CostRow {
  source: string;
  medium: string;
  /** Present with `group=campaign`. */
  campaign?: string | null;
  spend: number;
  impressions: number | null;
  clicks: number | null;
  /** clicks ÷ impressions, when impressions were given. */
  ctr: number | null;
  leads: number;
  mqls: number;
  sqls: number;
  customers: number;
  cost_per_lead: number | null;
  cost_per_mql: number | null;
  cost_per_sql: number | null;
  cost_per_customer: number | null;
  /** The costs that are infinite: spend with none of that conversion. */
  infinite: CostKey[];
}

export interface CostTable {
  rows: CostRow[];
  totals: Omit<CostRow, 'source' | 'medium' | 'campaign'>;
}

const money = (n: number) => Math.round(n * 100) / 100;
const credit = (n: number) => Math.round(n * 10_000) / 10_000;

interface Acc {
  source: string;
  medium: string;
  campaign: string | null;
  micros: number;
  hasSpend: boolean;
  impressions: number | null;
  clicks: number | null;
  /** Clicks on rows that also give impressions: CTR compares only those. */
  ctrClicks: number;
  counts: Record<CostGoal, number>;
}

const addMaybe = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);

function finish(acc: Omit<Acc, 'source' | 'medium' | 'campaign'>): CostTable['totals'] {
  const spend = acc.micros / 1_000_000;
  const infinite: CostKey[] = [];
  const cost = (goal: CostGoal): number | null => {
    if (!acc.hasSpend) return null;
    const n = acc.counts[goal];
    if (n > 0) return money(spend / n);
    if (spend > 0) infinite.push(`cost_per_${goal}`);
    return spend > 0 ? null : 0;
  };
  const ctr =
    acc.impressions !== null && acc.impressions > 0
      ? Math.round((acc.ctrClicks / acc.impressions) * 10_000) / 10_000
      : null;
  return {
    spend: money(spend),
    impressions: acc.impressions,
    clicks: acc.clicks,
    ctr,
    leads: credit(acc.counts.lead),
    mqls: credit(acc.counts.mql),
    sqls: credit(acc.counts.sql),
    customers: credit(acc.counts.customer),
    cost_per_lead: cost('lead'),
    cost_per_mql: cost('mql'),
    cost_per_sql: cost('sql'),
    cost_per_customer: cost('customer'),
    infinite,
  };
}

const zero = (): Record<CostGoal, number> => ({ lead: 0, mql: 0, sql: 0, customer: 0 });

export function costTable(input: {
  conversions: ReadonlyMap<string, GoalTimes>;
  touches: ReadonlyMap<string, Touch[]>;
  spend: readonly SpendTotal[];
  model: Model;
  group: Group;
}): CostTable {
  const groups = new Map<string, Acc>();
  const accOf = (source: string, medium: string, campaign: string | null) => {
    const c = input.group === 'campaign' ? campaign : null;
    const key = JSON.stringify([source, medium, c]);
    let acc = groups.get(key);
    if (!acc) {
      acc = {
        source,
        medium,
        campaign: c,
        micros: 0,
        hasSpend: false,
        impressions: null,
        clicks: null,
        ctrClicks: 0,
        counts: zero(),
      };
      groups.set(key, acc);
    }
    return acc;
  };
  const totals: Omit<Acc, 'source' | 'medium' | 'campaign'> = {
    micros: 0,
    hasSpend: false,
    impressions: null,
    clicks: null,
    ctrClicks: 0,
    counts: zero(),
  };

  for (const row of input.spend) {
    const acc = accOf(row.source, row.medium, row.campaign === '' ? null : row.campaign);
    for (const into of [acc, totals]) {
      into.micros += row.cost_micros;
      into.hasSpend = true;
      into.impressions = addMaybe(into.impressions, row.impressions);
      into.clicks = addMaybe(into.clicks, row.clicks);
      if (row.impressions !== null) into.ctrClicks += row.clicks ?? 0;
    }
  }

  for (const [id, times] of input.conversions) {
    const all = input.touches.get(id) ?? [];
    for (const goal of COST_GOALS) {
      const at = times[goal];
      if (at === undefined) continue;
      totals.counts[goal] += 1;
      shareConversion(all, at, (model, touch: TouchName, share) => {
        if (model !== input.model) return;
        accOf(touch.source ?? '(unknown)', touch.medium ?? '(unknown)', touch.campaign).counts[goal] += share;
      });
    }
  }

  const rows = [...groups.values()]
    .map((acc) => ({
      source: acc.source,
      medium: acc.medium,
      ...(input.group === 'campaign' ? { campaign: acc.campaign } : {}),
      ...finish(acc),
    }))
    .sort(
      (a, b) =>
        b.spend - a.spend ||
        b.leads - a.leads ||
        a.source.localeCompare(b.source) ||
        a.medium.localeCompare(b.medium) ||
        String(a.campaign ?? '').localeCompare(String(b.campaign ?? '')),
    );
  return { rows, totals: finish(totals) };
}
