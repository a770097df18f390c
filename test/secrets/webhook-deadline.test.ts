/**
 * A webhook receiver that trickles its answer a byte at a time is never idle, so an idle
 * timeout never fires. Each delivery has a total deadline instead: the trickling attempt fails
 * as `timeout` on time, and deliveries to other receivers go on (real sockets on loopback).
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { deliver } from '../../collector/outbox/deliver';
import { startDispatcher } from '../../collector/outbox/dispatcher';
import { startCollector } from '../helpers/server';
import { raiseHand } from '../outbox/process';
import { startReceiver, WEBHOOK_SECRET, waitFor } from '../outbox/receiver';

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

/** Answers every request one byte every `everyMs`, forever: first the status line, then a body. */
async function trickler(everyMs = 100, phase: 'headers' | 'body' = 'headers'): Promise<string> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const head = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n';
    let sent = phase === 'body' ? head.length : 0;
    if (phase === 'body') socket.write(head);
    const timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer);
      socket.write(sent < head.length ? head[sent]! : '1\r\nx\r\n');
      sent++;
    }, everyMs);
    socket.on('close', () => clearInterval(timer));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const webhook = (url: string) => ({
  url,
  secret: WEBHOOK_SECRET,
  events: ['contact.sql' as const],
  allow_private: true,
});
const delivery = { id: 'dlv_trickle', event: 'contact.sql', attempt: 1, body: '{}', now: Date.now() };

describe('a total deadline per webhook delivery', () => {
  it.each(['headers', 'body'] as const)('ends an attempt whose receiver trickles its %s', async (phase) => {
    const url = await trickler(100, phase);
    const started = Date.now();
    const result = await deliver(webhook(url), delivery, { deadlineMs: 1000 });
    const took = Date.now() - started;
    expect(result).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3000);
  });

  it('still answers normally within the deadline', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    expect(await deliver(webhook(url), delivery, { deadlineMs: 1000 })).toEqual({
      kind: 'delivered',
      status: 200,
    });
  });

  it('a trickling receiver does not stall deliveries to another one', async () => {
    const slow = await trickler(100);
    const good = await startReceiver();
    const collector = await startCollector({
      workers: false,
      file: {
        webhooks: [
          { name: 'slow', ...webhook(slow) },
          { name: 'good', ...webhook(good.url) },
        ],
      },
    });
    const dispatcher = startDispatcher(collector.services, { pollMs: 50, deliveryDeadlineMs: 1000 });
    try {
      await raiseHand(collector, 'first', 1);
      await waitFor(() => good.accepted().length === 1);
      // The slow delivery ends on its deadline, so the dispatcher moves on to what comes next.
      await waitFor(async () => {
        const row = await collector.services.db
          .selectFrom('outbox')
          .selectAll()
          .where('webhook', '=', 'slow')
          .executeTakeFirst();
        return row?.status === 'pending' && /within 1000 ms/.test(row.last_error ?? '');
      }, 5000);
      await raiseHand(collector, 'second', 1);
      await waitFor(() => good.accepted().length === 2, 5000);
    } finally {
      await dispatcher.stop();
      await collector.close();
      await good.close();
    }
  }, 30_000);
});
