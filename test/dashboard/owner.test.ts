/** The contact page shows the hand-off: the owner, the routing reason and the SLA clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchOf, identifyEvent, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_ADMIN_KEY, type TestCollector } from '../helpers/server';
import { dashboardClient, signIn } from './client';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startCollector({
    file: {
      owners: [{ id: 'ana', name: 'Ana <b>R</b>', email: 'ana@sales.example' }],
      sla: [{ stage: 'sql', minutes: 30 }],
    },
  });
});
afterAll(() => collector.close());

describe('owner on the contact page', () => {
  it('shows who owns the lead, why (escaped), and the running SLA clock', async () => {
    const res = await postBatch(
      collector.url,
      batchOf([
        identifyEvent('anon-o', 'olga@acme.com', { name: 'Olga' }),
        trackEvent('anon-o', 'demo_requested'),
      ]),
    );
    expect(res.status).toBe(202);
    const { leads } = (await (await collector.api('/api/leads?owner=ana')).json()) as {
      leads: { id: string }[];
    };
    expect(leads).toHaveLength(1);
    const client = dashboardClient(collector.url);
    await signIn(client, { key: TEST_ADMIN_KEY });
    const html = await client.html(`/dashboard/contacts/${leads[0]!.id}`);
    expect(html).toContain('<span id="owner-id">ana</span>');
    expect(html).toContain('routed to Ana &lt;b&gt;R&lt;/b&gt;: no territory, weight 1');
    expect(html).not.toContain('<b>R</b>');
    expect(html).toMatch(
      /id="sla-clock" data-state="running"><strong>SLA:<\/strong> answer within (29|30) min/,
    );
  });
});
