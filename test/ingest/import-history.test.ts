/**
 * History import through /v1/import with a server key: events of any age, idempotent on
 * messageId, scored by event time. A contact that became an SQL sixty days ago has that
 * transition at its event time, and moves in the past fire no webhook; a live move still does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAST_MOVE_MS } from '../../collector/scoring/core/move-time';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

const SERVER_KEY = 'srv_import_0123456789abcdefghij';
const DAY = 24 * 3600_000;
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(TEST_DATABASES)('history import on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      db,
      workers: false,
      file: {
        sites: [{ key: TEST_SITE, origins: ['http://localhost:1'], server_keys: [SERVER_KEY] }],
        webhooks: [
          {
            url: 'https://hooks.example.com/leadtrail',
            secret: 'whsec_0123456789abcdef',
            events: ['contact.mql', 'contact.sql'],
          },
        ],
      },
    });
  });
  afterAll(() => server.close());

  const importBatch = (batch: unknown[], key = SERVER_KEY) =>
    fetch(`${server.url}/v1/import`, {
      method: 'POST',
      headers: { authorization: basic(key), 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    });
  const transitionsOf = (contactId: string) =>
    server.services.db
      .selectFrom('transitions')
      .select(['from_stage', 'to_stage', 'at'])
      .where('contact_id', '=', contactId)
      .orderBy('id')
      .execute();
  const outboxOf = (contactId: string) =>
    server.services.db.selectFrom('outbox').select('event').where('contact_id', '=', contactId).execute();

  it('dates moves caused by imported history at their event time, and notifies nobody', async () => {
    const t0 = Date.now() - 60 * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    const history = [
      {
        type: 'page',
        anonymousId: 'imp-anon',
        messageId: 'imp-1',
        timestamp: iso(t0),
        properties: { url: 'https://acme.io/pricing' },
      },
      {
        type: 'identify',
        anonymousId: 'imp-anon',
        userId: 'u-imp',
        messageId: 'imp-2',
        timestamp: iso(t0 + 3600_000),
        traits: { email: 'old@acme.io', title: 'CTO' },
      },
      {
        type: 'track',
        userId: 'u-imp',
        messageId: 'imp-3',
        timestamp: iso(t0 + DAY),
        event: 'demo_requested',
      },
      {
        type: 'track',
        userId: 'u-imp',
        messageId: 'imp-4',
        timestamp: iso(t0 + 2 * DAY),
        event: 'demo_requested',
      },
    ];
    expect((await importBatch(history)).status).toBe(200);
    const contact = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'old@acme.io')
      .executeTakeFirstOrThrow();
    expect(contact.stage).toBe('sql');
    expect(Number(contact.sql_at)).toBe(t0 + DAY);
    expect(Number(contact.stage_changed_at)).toBe(t0 + DAY);
    const moves = await transitionsOf(contact.id);
    expect(moves.map((m) => [m.from_stage, m.to_stage, Number(m.at)])).toEqual([
      ['visitor', 'lead', t0 + 3600_000],
      ['lead', 'sql', t0 + DAY],
    ]);
    expect(await outboxOf(contact.id)).toEqual([]);

    // Importing the same history again changes nothing.
    expect((await importBatch(history)).status).toBe(200);
    expect(await transitionsOf(contact.id)).toHaveLength(2);
    const events = await server.services.db
      .selectFrom('events')
      .select('id')
      .where('contact_id', '=', contact.id)
      .execute();
    expect(events.map((e) => e.id).sort()).toEqual(['imp-1', 'imp-2', 'imp-3', 'imp-4']);
  });

  it('still notifies for moves within the last day, imported or not', async () => {
    const recent = Date.now() - PAST_MOVE_MS / 2;
    expect(
      (
        await importBatch([
          {
            type: 'identify',
            userId: 'u-new',
            messageId: 'new-1',
            timestamp: new Date(recent).toISOString(),
            traits: { email: 'new@acme.io' },
          },
          { type: 'track', userId: 'u-new', messageId: 'new-2', event: 'contact_sales' },
        ])
      ).status,
    ).toBe(200);
    const contact = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'new@acme.io')
      .executeTakeFirstOrThrow();
    expect(contact.stage).toBe('sql');
    const moves = await transitionsOf(contact.id);
    expect(moves.map((m) => m.to_stage)).toEqual(['lead', 'sql']);
    // Not past: recorded when they happen (now), and the SQL webhook is queued.
    for (const move of moves) expect(Date.now() - Number(move.at)).toBeLessThan(60_000);
    expect((await outboxOf(contact.id)).map((o) => o.event)).toEqual(['contact.sql']);
  });

  it('keeps the 7-day limit for the public key', async () => {
    const old = new Date(Date.now() - 30 * DAY).toISOString();
    const response = await importBatch(
      [{ type: 'track', anonymousId: 'pub-old', messageId: 'pub-old-1', event: 'x', timestamp: old }],
      TEST_SITE,
    );
    expect(response.status).toBe(200);
    const stored = await server.services.db
      .selectFrom('events')
      .select('id')
      .where('id', '=', 'pub-old-1')
      .executeTakeFirst();
    expect(stored).toBeUndefined();
  });
});
