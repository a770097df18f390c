/**
 * `GET /api/contacts/:id/score-history?from=&to=&step=day` — the contact's score replayed at
 * every step (with its stage then), or with `explain=from,to` what changed between two moments:
 * new events by rule, decay, fit, and the ruleset versions that came into use meanwhile.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { badField, notFound } from '../errors';
import { explainChange, scoreSeries } from '../scoring/core/score-history';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from '../scoring/rows';
import type { Services } from '../services';
import { parseQuery } from './params';

const STEPS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;
export const MAX_HISTORY_POINTS = 400;

const time = z
  .string()
  .max(40)
  .regex(
    /^(\d{1,15}|\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/,
    'must be an ISO date or milliseconds',
  )
  .transform((text) => (/^\d+$/.test(text) ? Number(text) : Date.parse(text)))
  .refine(Number.isFinite, 'is not a valid date');

const pair = z
  .string()
  .max(90)
  .transform((text, ctx) => {
    const parts = text.split(',');
    const parsed = parts.map((p) => time.safeParse(p.trim()));
    if (parts.length !== 2 || parsed.some((p) => !p.success)) {
      ctx.addIssue({ code: 'custom', message: 'must be two dates: from,to' });
      return z.NEVER;
    }
    const [a, b] = parsed.map((p) => (p.success ? p.data : 0)) as [number, number];
    if (a > b) {
      ctx.addIssue({ code: 'custom', message: 'the first date must not be after the second' });
      return z.NEVER;
    }
    return [a, b] as const;
  });

/** The stage at `at`: the last transition's target by then, else the stage before the first one. */
export function stageAt(
  transitions: { from: string; to: string; at: number }[],
  current: string,
  at: number,
): string {
  let stage = transitions[0]?.from ?? current;
  for (const t of transitions) {
    if (t.at > at) break;
    stage = t.to;
  }
  return stage;
}

export function scoreHistoryRoutes(services: Services) {
  const app = new Hono();
  const { db } = services;

  app.get('/contacts/:id/score-history', async (c) => {
    const params = parseQuery(c, {
      from: time.optional(),
      to: time.optional(),
      step: z.enum(['hour', 'day', 'week'], { error: 'must be hour, day or week' }).default('day'),
      explain: pair.optional(),
    });
    const id = c.req.param('id');
    const contact = await db
      .selectFrom('contacts')
      .select(['id', 'email', 'user_id', 'traits', 'stage', 'first_seen'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!contact) throw notFound('contact');
    const rules = services.config.scoring;
    const rows = await db.selectFrom('events').select(SCORING_COLUMNS).where('contact_id', '=', id).execute();
    const events = rows.map(scoringEventOf);
    const profile = profileOf(contact);

    if (params.explain) {
      const [from, to] = params.explain;
      const versions = await db
        .selectFrom('rulesets')
        .select(['version', 'created_at'])
        .where('created_at', '>', from)
        .where('created_at', '<=', to)
        .orderBy('created_at')
        .execute();
      return c.json({
        ...explainChange(events, profile, rules, from, to),
        ruleset_version: rules.version,
        ruleset_changes: versions.map((v) => ({ version: v.version, at: Number(v.created_at) })),
      });
    }

    const step = STEPS[params.step];
    const to = params.to ?? services.clock();
    const from = params.from ?? Math.min(to, Math.max(Number(contact.first_seen), to - 90 * STEPS.day));
    if (from > to) throw badField('from', 'must not be after to');
    const count = Math.floor((to - from) / step) + 1;
    if (count > MAX_HISTORY_POINTS)
      throw badField('from', `more than ${MAX_HISTORY_POINTS} points: narrow from–to or use a longer step`);
    const moments = Array.from({ length: count }, (_, i) => from + i * step);
    const transitions = (
      await db
        .selectFrom('transitions')
        .select(['from_stage', 'to_stage', 'at'])
        .where('contact_id', '=', id)
        .orderBy('at')
        .orderBy('id')
        .execute()
    ).map((t) => ({ from: t.from_stage, to: t.to_stage, at: Number(t.at) }));
    const series = scoreSeries(events, profile, rules, moments).map((p) => ({
      ...p,
      stage: stageAt(transitions, contact.stage, p.at),
    }));
    return c.json({
      contact_id: id,
      from,
      to,
      step: params.step,
      ruleset_version: rules.version,
      mql_threshold: rules.mql_threshold,
      series,
      stage_changes: transitions.filter((t) => t.at >= from && t.at <= to),
    });
  });

  return app;
}
