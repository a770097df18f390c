/**
 * The score histogram's one query, on every database the suite runs against (SQLite always,
 * PostgreSQL with TEST_DATABASE_URL): each seeded lead lands in its band, visitors and other
 * sites are left out, and the range is honoured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreDistribution } from '../../collector/dashboard/score-distribution';
import {
  startCollector,
  TEST_ADMIN_KEY,
  TEST_DATABASES,
  TEST_SITE,
  type TestCollector,
} from '../helpers/server';
import { dashboardClient, signIn } from './client';
import { seedDashboard } from './seed';

describe.each(TEST_DATABASES)('score distribution on %s', (db) => {
  let collector: TestCollector;
  const now = Date.now();
  beforeAll(async () => {
    collector = await startCollector({ db });
    await seedDashboard(collector.url, now);
  });
  afterAll(() => collector.close());

  it('puts every identified contact active in the range in its score band', async () => {
    const leads = (await (await collector.api('/api/leads?limit=500')).json()) as {
      leads: { score: number }[];
    };
    const bands = await scoreDistribution(collector.services.db, {
      from: now - 30 * 86_400_000,
      to: now + 1,
      sites: [TEST_SITE],
    });
    expect(bands.map((b) => b.label)).toEqual([
      '<0',
      '0–9',
      '10–19',
      '20–29',
      '30–39',
      '40–49',
      '50–59',
      '60–69',
      '70–79',
      '80–89',
      '90–99',
      '100+',
    ]);
    expect(bands.reduce((sum, b) => sum + b.count, 0)).toBe(leads.leads.length);
    for (const lead of leads.leads) {
      const band = [...bands].reverse().find((b) => lead.score >= b.from)!;
      expect(band.count, `score ${lead.score}`).toBeGreaterThan(0);
    }
    expect(
      await scoreDistribution(collector.services.db, { from: now - 1000, to: now + 1, sites: [TEST_SITE] }),
    ).toSatisfy((b: { count: number }[]) => b.every((x) => x.count === 0));
    expect(
      await scoreDistribution(collector.services.db, { from: 0, to: now + 1, sites: ['pk_other'] }),
    ).toSatisfy((b: { count: number }[]) => b.every((x) => x.count === 0));
  });

  it('renders the overview on this database', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const html = await client.html('/dashboard/overview');
    expect(html).toContain('Score distribution');
    expect(html).toMatch(/data-stage="visitor" data-count="\d+"/);
  });
});
