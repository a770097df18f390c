/**
 * `/metrics` in Prometheus text: events accepted and refused by reason, webhook deliveries and
 * failures, the outbox queue depth and contacts by stage — read from a live collector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchOf, pageView, postBatch } from '../helpers/events';
import { startCollector, type TestCollector } from '../helpers/server';
import { raiseHand } from '../outbox/process';
import { type Receiver, startReceiver, WEBHOOK_SECRET, waitFor } from '../outbox/receiver';

describe('/metrics', () => {
  let server: TestCollector;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver({ respond: (n) => (n === 0 ? 500 : 200) });
    server = await startCollector({
      file: {
        metrics: { cache_seconds: 0 }, // every scrape reads the database afresh here
        webhooks: [
          {
            name: 'crm',
            url: receiver.url,
            secret: WEBHOOK_SECRET,
            events: ['contact.sql'],
            allow_private: true,
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts events, refusals, webhook deliveries and failures, queue depth and stages', async () => {
    await raiseHand(server, 'm1', 2);
    await postBatch(server.url, batchOf([pageView('visitor-x', 'https://site.test/')]));
    const stale = pageView('visitor-y', 'https://site.test/', { ts: Date.now() - 400 * 86_400_000 });
    await postBatch(server.url, batchOf([stale]));

    const queued = await scrape();
    expect(value(queued, 'leadtrail_events_accepted_total')).toBe(5);
    expect(value(queued, 'leadtrail_events_refused_total{reason="too_old"}')).toBe(1);
    expect(value(queued, 'leadtrail_contacts{stage="sql"}')).toBe(1);
    expect(value(queued, 'leadtrail_contacts{stage="visitor"}')).toBe(1);
    expect(queued).toMatch(/^# TYPE leadtrail_outbox_pending gauge$/m);

    // The first attempt fails (500): one failure, the delivery still queued.
    await waitFor(
      async () =>
        value(await scrape(), 'leadtrail_webhook_failures_total{reason="http_5xx",webhook="crm"}') === 1,
    );
    const failed = await scrape();
    expect(value(failed, 'leadtrail_outbox_pending')).toBe(1);
    expect(value(failed, 'leadtrail_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
    // Once the retry is scheduled, make it due now: it succeeds.
    await waitFor(async () => {
      const row = await server.services.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
      return row.status === 'pending' && row.attempts === 1;
    });
    await server.services.db.updateTable('outbox').set({ next_attempt_at: 0 }).execute();
    await waitFor(
      async () =>
        value(await scrape(), 'leadtrail_webhook_deliveries_total{result="delivered",webhook="crm"}') === 1,
    );
    expect(value(await scrape(), 'leadtrail_outbox_pending')).toBe(0);
  });
});
