/**
 * Signed webhooks end to end: a real collector, real ingestion making an SQL, the outbox, the
 * dispatcher, and a receiver on a loopback port that verifies every signature. Time is a manual
 * clock so hours of backoff pass in milliseconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { startDispatcher } from '../../collector/outbox/dispatcher';
import type { RunningServer } from '../../collector/server';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { raiseHand, sameDatabase } from './process';
import { startReceiver, WEBHOOK_SECRET, waitFor } from './receiver';

const HOUR = 3_600_000;

describe.each(TEST_DATABASES)('webhooks on %s', (db) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  async function setup(
    options: { respond?: (n: number) => number; events?: string[]; workers?: boolean; delayMs?: number } = {},
  ) {
    const clock = manualClock(Date.now());
    const receiver = await startReceiver({ respond: options.respond, now: clock, delayMs: options.delayMs });
    cleanup.push(() => receiver.close());
    const server = await startCollector({
      db,
      clock,
      workers: options.workers ?? true,
      file: {
        webhooks: [
          {
            name: 'crm',
            url: receiver.url,
            secret: WEBHOOK_SECRET,
            events: options.events ?? ['contact.sql'],
            allow_private: true,
          },
        ],
      },
    });
    cleanup.push(() => server.close());
    return { clock, receiver, server };
  }

  const outbox = (server: TestCollector) =>
    server.services.db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy('id').execute();

  it('delivers a signed contact.sql with the contact, breakdown and last 20 timeline items', async () => {
    const { receiver, server } = await setup();
    await raiseHand(server, 1, 25);
    await waitFor(() => receiver.received.length >= 1);

    const [hit] = receiver.received;
    expect(hit!.verified).toBe(true);
    expect(hit!.headers['content-type']).toBe('application/json');
    expect(hit!.headers['x-leadtrail-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(hit!.headers['x-leadtrail-event']).toBe('contact.sql');
    const [row] = await outbox(server);
    expect(hit!.headers['x-leadtrail-delivery']).toBe(row!.id);

    const body = hit!.json as {
      id: string;
      event: string;
      transition: { from: string; to: string; reason: string; event_ids: string[] };
      contact: { email: string; stage: string; score: number; breakdown: { points: number }[] };
      timeline: { ts: number; name: string | null }[];
    };
    expect(body.id).toBe(row!.id);
    expect(body.event).toBe('contact.sql');
    expect(body.transition).toMatchObject({ from: 'lead', to: 'sql' });
    expect(body.transition.event_ids).toHaveLength(1);
    expect(body.contact).toMatchObject({ email: 'buyer1@acme-1.com', stage: 'sql' });
    expect(body.contact.breakdown.length).toBeGreaterThan(0);
    expect(body.contact.score).toBeGreaterThan(0);
    // 25 page views + identify + demo request = 27 events; the newest 20, newest first.
    expect(body.timeline).toHaveLength(20);
    expect(body.timeline[0]!.name).toBe('demo_requested');
    const times = body.timeline.map((t) => t.ts);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    await waitFor(async () => (await outbox(server))[0]!.status === 'delivered');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/leadtrail_webhook_deliveries_total\{result="delivered",webhook="crm"\} 1/);
    expect(metrics).toMatch(/leadtrail_outbox_pending 0/);
  });

  it('sends one delivery per transition per webhook: the specific event when subscribed', async () => {
    const { receiver, server } = await setup({ events: ['contact.sql', 'contact.stage_changed'] });
    await raiseHand(server, 2);
    await waitFor(() => receiver.received.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const events = receiver.received.map(
      (r) => `${r.json.event}:${(r.json.transition as { to: string }).to}`,
    );
    expect(events.sort()).toEqual(['contact.sql:sql', 'contact.stage_changed:lead']);
  });

  it('a receiver failing five times then succeeding gets exactly one accepted delivery', async () => {
    const { clock, receiver, server } = await setup({ respond: (n) => (n < 5 ? 503 : 200) });
    await raiseHand(server, 3);
    for (let attempt = 1; attempt <= 6; attempt++) {
      await waitFor(() => receiver.received.length >= attempt);
      // The dispatcher has recorded the answer (and scheduled the retry on the current clock)…
      await waitFor(async () => {
        const [row] = await outbox(server);
        return row!.attempts === attempt && row!.status !== 'sending';
      });
      // …then time passes beyond any backoff step (they are capped at one hour).
      clock.advance(2 * HOUR);
    }
    // Hours more pass: nothing else arrives.
    for (let i = 0; i < 3; i++) {
      clock.advance(6 * HOUR);
      await new Promise((resolve) => setTimeout(resolve, 600));
    }

    expect(receiver.received.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 200]);
    expect(receiver.accepted()).toHaveLength(1);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const ids = new Set(receiver.received.map((r) => r.headers['x-leadtrail-delivery']));
    expect(ids.size).toBe(1);
    // The body is built once and re-signed on every attempt.
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    const [row] = await outbox(server);
    expect(row).toMatchObject({ status: 'delivered', attempts: 6, last_error: null });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/leadtrail_webhook_failures_total\{reason="http_5xx",webhook="crm"\} 5/);
  });

  it('backs off exponentially: nothing is re-sent before the retry is due', async () => {
    const { clock, receiver, server } = await setup({ respond: () => 500 });
    await raiseHand(server, 4);
    await waitFor(() => receiver.received.length >= 1);
    await waitFor(async () => (await outbox(server))[0]!.status === 'pending');
    const first = (await outbox(server))[0]!;
    const wait = first.next_attempt_at - clock();
    expect(wait).toBeGreaterThanOrEqual(15_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(receiver.received).toHaveLength(1);
    clock.advance(wait);
    await waitFor(() => receiver.received.length >= 2);
    await waitFor(async () => (await outbox(server))[0]!.status === 'pending');
    const second = (await outbox(server))[0]!;
    expect(second.attempts).toBe(2);
    expect(second.next_attempt_at - clock()).toBeGreaterThanOrEqual(30_000);
    expect(second.last_error).toMatch(/HTTP 500/);
  });

  it('a 410 disables the endpoint: later deliveries are not sent', async () => {
    const { receiver, server } = await setup({ respond: () => 410 });
    await raiseHand(server, 5);
    await waitFor(async () => (await outbox(server))[0]?.status === 'disabled');
    await raiseHand(server, 6);
    await waitFor(async () => (await outbox(server)).every((r) => r.status === 'disabled'));
    expect(await outbox(server)).toHaveLength(2);
    expect(receiver.received).toHaveLength(1);
    const flag = await server.services.db.selectFrom('meta').selectAll().execute();
    expect(flag.map((m) => m.key)).toContain(`webhook_disabled:${receiver.url}`);
  });

  it('survives a restart: another process picks up the same delivery id and delivers it', async () => {
    const { clock, receiver, server } = await setup({ workers: false, respond: (n) => (n < 1 ? 503 : 200) });
    await raiseHand(server, 7);
    const [queued] = await outbox(server);
    expect(queued).toMatchObject({ status: 'pending', attempts: 0 });

    const first: RunningServer = await sameDatabase(server, { clock });
    await waitFor(() => receiver.received.length >= 1);
    await waitFor(async () => (await outbox(server))[0]!.status === 'pending');
    await first.close();

    clock.advance(2 * HOUR);
    const second = await sameDatabase(server, { clock });
    cleanup.push(() => second.close());
    await waitFor(() => receiver.accepted().length >= 1);
    expect(receiver.received.map((r) => r.headers['x-leadtrail-delivery'])).toEqual([queued!.id, queued!.id]);
    await waitFor(async () => (await outbox(server))[0]!.status === 'delivered');
  });

  it('a delivery taken by a process that died is retried once its lease runs out', async () => {
    const { clock, receiver, server } = await setup({ workers: false });
    await raiseHand(server, 8);
    const [row] = await outbox(server);
    // What a crash mid-send leaves behind: taken, with a lease a minute long.
    await server.services.db
      .updateTable('outbox')
      .set({ status: 'sending', attempts: 1, next_attempt_at: clock() + 60_000 })
      .where('id', '=', row!.id)
      .execute();
    const other = await sameDatabase(server, { clock });
    cleanup.push(() => other.close());
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.received).toHaveLength(0);
    clock.advance(61_000);
    await waitFor(() => receiver.accepted().length === 1);
    expect(receiver.received[0]!.headers['x-leadtrail-attempt']).toBe('2');
  });

  it('two processes on one database never send the same delivery twice', async () => {
    const { clock, receiver, server } = await setup({ workers: false, delayMs: 30 });
    for (let i = 0; i < 12; i++) await raiseHand(server, `multi${i}`, 1);
    expect(await outbox(server)).toHaveLength(12);
    const a = await sameDatabase(server, { clock, workers: false });
    const b = await sameDatabase(server, { clock, workers: false });
    // Two dispatchers that read the same due rows at the same instant, then race to take them.
    const dispatchers = [a, b].map((p) => startDispatcher(p.services, { pollMs: 3_600_000 }));
    cleanup.push(
      () => a.close(),
      () => b.close(),
      async () => {
        for (const d of dispatchers) await d.stop();
      },
    );
    await Promise.all(dispatchers.map((d) => d.tick()));
    expect((await outbox(server)).every((r) => r.status === 'delivered')).toBe(true);
    const ids = receiver.received.map((r) => r.headers['x-leadtrail-delivery']);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });
});
