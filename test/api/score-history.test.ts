/**
 * `GET /api/contacts/:id/score-history`: the replayed series (score, fit, engagement and stage
 * at each step) against values worked out by hand from the rules, and `explain=from,to` split
 * into new events, decay and fit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, TEST_DATABASES, TEST_READ_KEY, type TestCollector } from '../helpers/server';
import { insertContact, insertEvent } from './seed';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 3);
const RULES = {
  version: 4,
  mql_threshold: 20,
  half_life_days: 7,
  engagement: [{ id: 'pricing', match: { type: 'page', path: '/pricing' }, points: 10 }],
  fit: [{ id: 'cto', traits: { title: 'CTO' }, points: 15 }],
};
const round1 = (n: number) => Math.round(n * 10) / 10;
const decayed = (points: number, days: number) => points * 0.5 ** (days / 7);

describe.each(TEST_DATABASES)('score history on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ db, workers: false, file: { scoring: RULES } });
    const d = server.services.db;
    await insertContact(d, { id: 'c1', email: 'ada@acme.com', stage: 'mql', first_seen: T0 });
    await insertEvent(d, { contact_id: 'c1', ts: T0, path: '/pricing' });
    await insertEvent(d, {
      contact_id: 'c1',
      ts: T0 + 3 * DAY,
      type: 'identify',
      user: 'ada@acme.com',
      traits: '{"title":"CTO"}',
    });
    await insertEvent(d, { contact_id: 'c1', ts: T0 + 10 * DAY, path: '/pricing' });
    await insertEvent(d, { contact_id: 'c1', ts: T0 + 10 * DAY, path: '/pricing', bot: 1 });
    await d
      .insertInto('transitions')
      .values([
        {
          contact_id: 'c1',
          site: 'pk_test',
          from_stage: 'visitor',
          to_stage: 'lead',
          reason: 'identified',
          event_ids: '[]',
          ruleset_version: 4,
          actor: 'auto',
          at: T0 + 3 * DAY,
        },
        {
          contact_id: 'c1',
          site: 'pk_test',
          from_stage: 'lead',
          to_stage: 'mql',
          reason: 'score',
          event_ids: '[]',
          ruleset_version: 4,
          actor: 'auto',
          at: T0 + 10 * DAY,
        },
      ])
      .execute();
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = async (query: string) => {
    const response = await server.api(`/api/contacts/c1/score-history?${query}`, { key: TEST_READ_KEY });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };

  it('replays the score, fit, engagement and stage at every day', async () => {
    const { status, json } = await get(`from=${T0}&to=${T0 + 14 * DAY}&step=day`);
    expect(status).toBe(200);
    const series = json.series as {
      at: number;
      score: number;
      fit: number;
      engagement: number;
      stage: string;
    }[];
    expect(series).toHaveLength(15);
    for (const [i, point] of series.entries()) {
      // One breakdown line per rule, in tenths.
      const engagement = round1(decayed(10, i) + (i >= 10 ? decayed(10, i - 10) : 0));
      const fit = i >= 3 ? 15 : 0;
      expect(point.at).toBe(T0 + i * DAY);
      expect(point.fit, `day ${i}`).toBe(fit);
      expect(point.engagement, `day ${i}`).toBeCloseTo(engagement, 5);
      expect(point.score, `day ${i}`).toBeCloseTo(fit + engagement, 5);
      expect(point.stage, `day ${i}`).toBe(i < 3 ? 'visitor' : i < 10 ? 'lead' : 'mql');
    }
    expect((json.stage_changes as unknown[]).length).toBe(2);
    // Before the contact was first seen: one point, nothing scored yet.
    const early = await get(`to=${T0 - DAY}`);
    expect(early.status).toBe(200);
    expect(early.json.series).toEqual([{ at: T0 - DAY, score: 0, fit: 0, engagement: 0, stage: 'visitor' }]);
  });

  it('explains a change as new events by rule, decay and fit', async () => {
    const { json } = await get(`explain=${T0 + DAY},${T0 + 12 * DAY}`);
    expect(json.new_events).toEqual([
      {
        rule: 'pricing',
        label: 'pricing',
        events: 1,
        points: round1(round1(decayed(10, 12) + decayed(10, 2)) - round1(decayed(10, 12))),
      },
    ]);
    expect(json.decay).toBeCloseTo(round1(decayed(10, 12)) - round1(decayed(10, 1)), 5);
    expect(json.fit).toEqual({ change: 15, added: ['cto'], removed: [] });
    expect(json.change).toBeCloseTo((json.score_to as number) - (json.score_from as number), 5);
    expect(json.ruleset_version).toBe(4);
  });

  it('refuses bad parameters naming them, and an unknown contact', async () => {
    for (const [query, field] of [
      ['step=month', 'step'],
      [`from=${T0}&to=${T0 + 500 * DAY}`, 'from'],
      [`from=${T0 + DAY}&to=${T0}`, 'from'],
      ['explain=yesterday', 'explain'],
      [`explain=${T0 + DAY},${T0}`, 'explain'],
      ['colour=red', 'colour'],
    ] as const) {
      const { status, json } = await get(query);
      expect(status, query).toBe(400);
      expect((json.error as { field: string }).field, query).toBe(field);
    }
    const missing = await server.api('/api/contacts/nobody/score-history', { key: TEST_READ_KEY });
    expect(missing.status).toBe(404);
  });
});
