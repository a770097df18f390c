/**
 * Which sources, media and campaigns produced the leads, MQLs and SQLs converted in the range,
 * under three models: first touch (all credit to the visit that found us), last touch (to the
 * visit just before converting) and linear (credit shared equally by every touch before
 * converting). A touch is a session's entry page view — a campaign, a referrer or a direct
 * visit — by the same rule as the contact's stored first/last touch. Bot events never count.
 */
import type { Kysely } from 'kysely';
import { type Touch, touchOf } from '../../ingest/touch';
import type { Database, NewEventRow } from '../../storage/schema';
import { type Conversions, chunks, conversionsInRange } from './conversions';
import { type ReportRange, rangeJson } from './range';

type Goal = keyof Conversions;
const GOALS: Goal[] = ['lead', 'mql', 'sql'];
export const ATTRIBUTION_MODELS = ['first_touch', 'last_touch', 'linear'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];
type Model = AttributionModel;
const MODELS = ATTRIBUTION_MODELS;

/** One source / medium / campaign under one model (linear credit is fractional). */
export interface AttributionRow {
  source: string;
  medium: string;
  campaign: string | null;
  leads: number;
  mqls: number;
  sqls: number;
}

const NO_TOUCH: Pick<Touch, 'source' | 'medium' | 'campaign'> = {
  source: '(none)',
  medium: '(none)',
  campaign: null,
};

/** Each contact's touches in time order, one per session (its first qualifying page view). */
async function touchesOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, Touch[]>> {
  const touches = new Map<string, Touch[]>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('events')
      .select([
        'contact_id',
        'session',
        'type',
        'ts',
        'bot',
        'url',
        'ref',
        'ref_kind',
        'utm_source',
        'utm_medium',
        'utm_campaign',
      ])
      .where('contact_id', 'in', chunk)
      .where('type', '=', 'page')
      .where('bot', '=', 0)
      .orderBy('ts')
      .orderBy('seq')
      .execute();
    const sessions = new Set<string>();
    for (const row of rows) {
      const touch = touchOf(row as NewEventRow);
      if (!touch) continue;
      if (row.session) {
        const key = `${row.contact_id}\u0000${row.session}`;
        if (sessions.has(key)) continue;
        sessions.add(key);
      }
      const list = touches.get(row.contact_id!);
      if (list) list.push(touch);
      else touches.set(row.contact_id!, [touch]);
    }
  }
  return touches;
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
  const credit = (
    model: Model,
    touch: Pick<Touch, 'source' | 'medium' | 'campaign'>,
    goal: Goal,
    by: number,
  ) => {
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
      const before = all.filter((t) => t.ts <= at);
      if (before.length === 0) {
        for (const model of MODELS) credit(model, NO_TOUCH, goal, 1);
        continue;
      }
      credit('first_touch', before[0]!, goal, 1);
      credit('last_touch', before.at(-1)!, goal, 1);
      for (const touch of before) credit('linear', touch, goal, 1 / before.length);
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
