/**
 * Which sources, media and campaigns produced the leads, MQLs and SQLs converted in the range,
 * under first touch, last touch and linear attribution (touches.ts). Sources are named like UTM
 * sources, one name per network (`google / organic` beside `google / cpc`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema';
import { type Conversions, conversionsInRange } from './conversions';
import { type ReportRange, rangeJson } from './range';
import { MODELS, type Model, shareConversion, type TouchName, touchesOf } from './touches';

type Goal = keyof Conversions;
const GOALS: Goal[] = ['lead', 'mql', 'sql'];
export const ATTRIBUTION_MODELS = MODELS;
export type AttributionModel = Model;

/** One source / medium / campaign under one model (linear credit is fractional). */
export interface AttributionRow {
  source: string;
  medium: string;
  campaign: string | null;
  leads: number;
  mqls: number;
  sqls: number;
}

/** `GET /api/reports/attribution`. */
export type AttributionReport = Awaited<ReturnType<typeof attributionReport>>;

export async function attributionReport(db: Kysely<Database>, range: ReportRange) {
  const conversions = await conversionsInRange(db, range);
  const touches = await touchesOf(db, [...conversions.keys()]);
  const tables: Record<Model, Map<string, AttributionRow>> = {
    first_touch: new Map(),
    last_touch: new Map(),
    linear: new Map(),
  };
  const credit = (model: Model, touch: TouchName, goal: Goal, by: number) => {
    const source = touch.source ?? '(unknown)';
    const medium = touch.medium ?? '(unknown)';
    const key = JSON.stringify([source, medium, touch.campaign]);
    let row = tables[model].get(key);
    if (!row) {
      row = { source, medium, campaign: touch.campaign, leads: 0, mqls: 0, sqls: 0 };
      tables[model].set(key, row);
    }
    row[`${goal}s`] += by;
  };

  for (const [id, times] of conversions) {
    const all = touches.get(id) ?? [];
    for (const goal of GOALS) {
      const at = times[goal];
      if (at === undefined) continue;
      shareConversion(all, at, (model, touch, share) => credit(model, touch, goal, share));
    }
  }

  const rows = (model: Model) =>
    [...tables[model].values()]
      .map((r) => ({ ...r, leads: round(r.leads), mqls: round(r.mqls), sqls: round(r.sqls) }))
      .sort(
        (a, b) => b.sqls - a.sqls || b.mqls - a.mqls || b.leads - a.leads || a.source.localeCompare(b.source),
      );
  return {
    ...rangeJson(range),
    totals: {
      leads: count(conversions, 'lead'),
      mqls: count(conversions, 'mql'),
      sqls: count(conversions, 'sql'),
    },
    models: { first_touch: rows('first_touch'), last_touch: rows('last_touch'), linear: rows('linear') },
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

const count = (conversions: Map<string, Conversions>, goal: Goal) =>
  [...conversions.values()].filter((c) => c[goal] !== undefined).length;
