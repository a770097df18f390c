/**
 * `npm run simulate -- --browser`: the journeys walked through the real demo site in headless
 * Chromium with the real script. The first nine visitors are one of each journey, so nine show
 * every capture path end to end, the crawler flagged and the demo request an SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNEY_KINDS } from '../../collector/cli/simulate/journeys';
import { runSimulation, type SimulationResult } from '../../collector/cli/simulate/run';
import { hasChromium } from '../helpers/browser';
import type { TestCollector } from '../helpers/server';
import { startDemoCollector } from '../simulate/demo-collector';

let collector: TestCollector;
let result: SimulationResult;

beforeAll(async () => {
  if (!hasChromium()) return;
  collector = await startDemoCollector();
  result = await runSimulation({
    url: collector.url,
    browser: true,
    visitors: JOURNEY_KINDS.length,
    key: collector.adminKey,
  });
}, 180_000);

afterAll(async () => {
  await collector?.close();
});

describe.skipIf(!hasChromium())('simulate --browser', () => {
  it('walks every journey through the demo site, and the tracker delivers it', async () => {
    expect(result.mode).toBe('browser');
    expect(Object.values(result.journeys).every((n) => n === 1)).toBe(true);
    expect(result.batches).toBeGreaterThan(0);
    expect(result.events.refused).toBe(0);

    const rows = await collector.services.db
      .selectFrom('events')
      .select(['type', 'name', 'path', 'props', 'bot', 'anon', 'utm_source'])
      .execute();
    // The database is the truth. The simulator counts the answers it sees, and a beacon sent as
    // a page closes can be answered after its browser context has gone (more often on a busy
    // machine), so its count may be lower — never higher.
    expect(rows.length).toBeGreaterThan(20);
    expect(result.events.accepted).toBeGreaterThan(0);
    expect(result.events.accepted).toBeLessThanOrEqual(rows.length);
    const people = rows.filter((r) => r.bot === 0);
    const names = new Set(people.map((r) => r.name).filter(Boolean));
    for (const name of ['form_submit', 'download', 'chat', 'demo_requested']) expect(names).toContain(name);
    expect(people.some((r) => r.type === 'page' && JSON.parse(r.props ?? '{}').pricing === true)).toBe(true);
    expect(people.some((r) => r.path === '/careers')).toBe(true);
    expect(people.some((r) => r.utm_source !== null)).toBe(true);

    // One visitor is a crawler: all of its events flagged, nobody else's.
    const bots = new Set(rows.filter((r) => r.bot === 1).map((r) => r.anon));
    expect(bots.size).toBe(1);
    expect(rows.filter((r) => bots.has(r.anon)).every((r) => r.bot === 1)).toBe(true);
  });

  it('ends with a demo request as an SQL in the funnel', async () => {
    const response = await collector.api('/api/reports/funnel');
    expect(response.status).toBe(200);
    const report = (await response.json()) as { counts: { visitors: number; sqls: number } };
    expect(result.funnel?.counts).toEqual(report.counts);
    expect(report.counts.visitors).toBe(JOURNEY_KINDS.length - 1);
    expect(report.counts.sqls).toBeGreaterThanOrEqual(1);
  });
});
