/**
 * The overview's cost panel shows the API's cost report: spend, conversions and cost per lead by
 * campaign under the chosen model, `∞` for spend with no conversions, and unmatched spend named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact, insertEvent } from '../api/seed';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';
import { dashboardClient, signIn } from './client';

const T = (day: number, hour = 12) => Date.UTC(2026, 2, day, hour);
let collector: TestCollector;

beforeAll(async () => {
  collector = await startCollector();
  const k = collector.services.db;
  await insertContact(k, { id: 'A', email: 'a@corp.test', first_seen: T(2) });
  await insertEvent(k, {
    contact_id: 'A',
    session: 's',
    ts: T(2),
    type: 'page',
    ref_kind: 'paid',
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'brand',
  });
  await insertEvent(k, { contact_id: 'A', ts: T(2, 13), type: 'identify', user: 'a@corp.test' });
  const res = await collector.api('/api/spend', {
    method: 'POST',
    body: JSON.stringify([
      {
        date: '2026-03-02',
        source: 'google',
        medium: 'cpc',
        campaign: 'brand',
        cost: 120,
        currency: 'USD',
        clicks: 12,
      },
      { date: '2026-03-03', source: 'bing', medium: 'cpc', campaign: 'nobody', cost: 30, currency: 'USD' },
    ]),
  });
  expect(res.status).toBe(200);
});
afterAll(() => collector.close());

describe('cost panel', () => {
  it('shows spend, cost per lead, ∞ for spend without leads, and unmatched spend', async () => {
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const html = await client.html('/dashboard/overview?from=2026-03-01&to=2026-03-10&model=last_touch');
    const panel = html.slice(
      html.indexOf('id="cost"'),
      html.indexOf('</section>', html.indexOf('id="cost"')),
    );
    expect(panel).toContain('What a lead costs (USD)');
    const row = (name: string) => {
      const start = panel.indexOf(`<td>${name}</td>`);
      expect(start, name).toBeGreaterThan(-1);
      return panel.slice(start, panel.indexOf('</tr>', start));
    };
    // google / cpc / brand: 120 for one lead; bing: 30 for none (infinite).
    expect(row('google / cpc / brand')).toMatch(/>120\.00<.*>12<.*>1<.*>120\.00</s);
    expect(row('bing / cpc / nobody')).toContain('∞');
    expect(panel).toMatch(/id="unmatched-spend".*bing \/ cpc \/ nobody 30\.00/s);
  });
});
