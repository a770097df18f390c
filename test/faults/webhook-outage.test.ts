/**
 * A webhook receiver down for an hour (connection refused, on a controllable clock), with the
 * collector restarted in the middle of the outage: once the receiver is back, every delivery
 * arrives, exactly once, with the delivery id it had from the first attempt.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import type { RunningServer } from '../../collector/server';
import { startCollector } from '../helpers/server';
import { raiseHand, sameDatabase } from '../outbox/process';
import { type Receiver, startReceiver, WEBHOOK_SECRET, waitFor } from '../outbox/receiver';

const MINUTE = 60_000;

/** A loopback port nobody listens on yet (the receiver will take it later). */
function reservePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('webhook receiver down for an hour', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('delivers everything afterwards, once each, with the same delivery ids, across a restart', async () => {
    const clock = manualClock(Date.now());
    const port = await reservePort();
    const url = `http://127.0.0.1:${port}/hooks/leadtrail`;
    const server = await startCollector({
      clock,
      workers: false,
      file: {
        webhooks: [
          { name: 'crm', url, secret: WEBHOOK_SECRET, events: ['contact.sql'], allow_private: true },
        ],
      },
    });
    cleanup.push(() => server.close());
    for (let n = 0; n < 3; n++) await raiseHand(server, `outage-${n}`);
    const queued = await server.services.db.selectFrom('outbox').select('id').orderBy('id').execute();
    expect(queued).toHaveLength(3);

    // First half hour of the outage: the dispatcher keeps trying and failing.
    let collector: RunningServer = await sameDatabase(server, { clock });
    const attemptsSoFar = async () =>
      (await server.services.db.selectFrom('outbox').select('attempts').execute()).reduce(
        (sum, r) => sum + r.attempts,
        0,
      );
    for (let minute = 0; minute < 30; minute += 5) {
      clock.advance(5 * MINUTE);
      await new Promise((r) => setTimeout(r, 700));
    }
    await waitFor(async () => (await attemptsSoFar()) >= 3);
    // The collector restarts mid-outage.
    await collector.close();
    collector = await sameDatabase(server, { clock });
    cleanup.push(() => collector.close());
    for (let minute = 30; minute <= 60; minute += 5) {
      clock.advance(5 * MINUTE);
      await new Promise((r) => setTimeout(r, 500));
    }
    const pending = await server.services.db.selectFrom('outbox').select(['status', 'attempts']).execute();
    expect(pending.every((r) => r.status !== 'delivered' && r.attempts >= 1)).toBe(true);

    // The receiver comes back on the same address.
    const receiver: Receiver = await startReceiver({ now: clock, port });
    cleanup.push(() => receiver.close());
    for (let i = 0; i < 20 && receiver.accepted().length < 3; i++) {
      clock.advance(60 * MINUTE);
      await new Promise((r) => setTimeout(r, 600));
    }
    await waitFor(async () =>
      (await server.services.db.selectFrom('outbox').select('status').execute()).every(
        (r) => r.status === 'delivered',
      ),
    );
    const ids = receiver.accepted().map((r) => r.headers['x-leadtrail-delivery']);
    expect([...ids].sort()).toEqual(queued.map((q) => q.id).sort());
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  }, 120_000);
});
