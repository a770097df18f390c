/**
 * `GET /api/leads/stream`: stage changes as Server-Sent Events, from this process and from
 * another one on the same database; resuming with Last-Event-ID; keep-alive comments; and a
 * stream that ends on its own so clients reconnect.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamRoutes } from '../../collector/api/stream';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { raiseHand, sameDatabase } from '../outbox/process';
import { insertContact } from './seed';

interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE messages from a response body as they arrive. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const messages: SseMessage[] = [];
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) message.comment = line.slice(1).trim();
          const [, field, value] = /^(\w+): ?(.*)$/.exec(line) ?? [];
          if (field === 'event' || field === 'id') message[field] = value;
          if (field === 'data')
            message.data = message.data === undefined ? value : `${message.data}\n${value}`;
        }
        messages.push(message);
        end = buffer.indexOf('\n\n');
      }
    }
    ended = true;
  })();
  return {
    messages,
    changes: () => messages.filter((m) => m.event === 'stage_changed'),
    ended: () => ended,
    async until(check: () => boolean, timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: async () => {
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}

describe.each(TEST_DATABASES)('live stage-change stream on %s', (db) => {
  let server: TestCollector;
  const open: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    server = await startCollector({ db });
    await insertContact(server.services.db, {
      id: 'lead-1',
      email: 'one@acme.test',
      name: 'One',
      stage: 'lead',
    });
  });
  afterAll(async () => {
    for (const stream of open) await stream.close();
    await server?.close();
  });

  async function connect(path = '/api/leads/stream', headers: Record<string, string> = {}) {
    const res = await server.api(path, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = sseReader(res.body!);
    open.push(stream);
    await stream.until(() => stream.messages.some((m) => m.event === 'ready'));
    return stream;
  }

  const move = (id: string, stage: string, reason?: string) =>
    server.api(`/api/contacts/${id}/stage`, { method: 'POST', body: JSON.stringify({ stage, reason }) });

  it('sends stage changes as they happen, from sales moves and from ingestion', async () => {
    const stream = await connect();
    expect((await move('lead-1', 'accept')).status).toBe(200);
    await stream.until(() => stream.changes().length >= 1);
    const [first] = stream.changes();
    const data = JSON.parse(first!.data!) as Record<string, unknown>;
    expect(data).toMatchObject({ contact_id: 'lead-1', from: 'lead', to: 'sal', actor: 'admin' });
    expect(data.contact).toMatchObject({ email: 'one@acme.test', stage: 'sal' });
    expect(first!.id).toBe(String(data.id));

    await raiseHand(server, 'stream-1');
    await stream.until(() => stream.changes().length >= 3);
    expect(stream.changes().map((m) => JSON.parse(m.data!).to)).toEqual(['sal', 'lead', 'sql']);
    const ids = stream.changes().map((m) => Number(m.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('resumes after Last-Event-ID with nothing lost and nothing repeated', async () => {
    const all = (await server.services.db.selectFrom('transitions').select('id').orderBy('id').execute()).map(
      (t) => t.id,
    );
    expect(all.length).toBeGreaterThanOrEqual(3);
    const stream = await connect('/api/leads/stream', { 'last-event-id': String(all[0]) });
    await stream.until(() => stream.changes().length >= all.length - 1);
    expect(stream.changes().map((m) => Number(m.id))).toEqual(all.slice(1));
    const fromZero = await connect('/api/leads/stream?since=0&stage=sql');
    await stream.until(() => fromZero.changes().length >= 1);
    expect(fromZero.changes().map((m) => JSON.parse(m.data!).to)).toEqual(['sql']);
    const bad = await server.api('/api/leads/stream', { headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
  });

  it('shows moves made by another process on the same database', async () => {
    const stream = await connect();
    const other = await sameDatabase(server, { workers: false });
    try {
      await insertContact(server.services.db, { id: 'lead-2', email: 'two@acme.test', stage: 'lead' });
      const res = await fetch(`${other.url}/api/contacts/lead-2/stage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ stage: 'disqualified', reason: 'competitor' }),
      });
      expect(res.status).toBe(200);
      await stream.until(() => stream.changes().length >= 1);
      expect(JSON.parse(stream.changes()[0]!.data!)).toMatchObject({
        contact_id: 'lead-2',
        to: 'disqualified',
        reason: 'competitor',
      });
    } finally {
      await other.close();
    }
  });

  it('sends keep-alive comments and ends after its lifetime so the client reconnects', async () => {
    const app = new Hono();
    app.route('/', streamRoutes(server.services, { pollMs: 20, heartbeatMs: 100, maxLifetimeMs: 600 }));
    const started = Date.now();
    const res = await app.request('/leads/stream');
    const stream = sseReader(res.body!);
    await stream.until(() => stream.ended(), 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(stream.messages.filter((m) => m.comment === 'keep-alive').length).toBeGreaterThanOrEqual(3);
    expect(stream.messages[0]).toMatchObject({ event: 'ready' });
  });

  it('does not hold up a shutdown: open streams end when the server stops listening', async () => {
    const other = await startCollector({ db });
    const res = await other.api('/api/leads/stream');
    const stream = sseReader(res.body!);
    await stream.until(() => stream.messages.some((m) => m.event === 'ready'));
    const started = Date.now();
    await other.close();
    // Within a poll or two, not the 5 s keep-alive timeout or never.
    expect(Date.now() - started).toBeLessThan(3_000);
    await stream.until(() => stream.ended(), 2_000);
  });
});
