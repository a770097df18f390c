/**
 * One person through the API, built by real ingestion: the profile with score breakdown, stage
 * history and touches; the timeline paged newest first; the export; sales' stage moves; and an
 * erasure that stays erased when the old beacons are replayed — no contact, no events, no
 * webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/events';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';
import { type Receiver, startReceiver, WEBHOOK_SECRET, waitFor } from '../outbox/receiver';

interface ContactJson {
  id: string;
  email: string;
  stage: string;
  score: number;
  breakdown: { rule: string; points: number; event_ids: string[] }[];
  stage_history: { from: string; to: string; reason: string; actor: string; event_ids: string[] }[];
  first_touch: { source: string; campaign: string } | null;
  last_touch: { source: string } | null;
  anonymous_ids: string[];
  account: { domain: string; contacts: number } | null;
  traits: Record<string, unknown>;
}

describe.each(TEST_DATABASES)('contacts API on %s', (db) => {
  let server: TestCollector;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startCollector({
      db,
      file: {
        webhooks: [
          {
            url: receiver.url,
            secret: WEBHOOK_SECRET,
            events: ['contact.sql', 'contact.stage_changed'],
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

  const journey = (anon: string, email: string): WireEvent[] => [
    pageView(anon, 'https://site.test/?utm_source=linkedin&utm_medium=social&utm_campaign=launch', {
      ref: 'https://www.linkedin.com/',
    }),
    ...Array.from({ length: 25 }, (_, i) => pageView(anon, `https://site.test/blog/post-${i}`)),
    pageView(anon, 'https://site.test/pricing', { props: { pricing: true } }),
    identifyEvent(anon, email, { name: 'Ada Lovelace', company: 'Analytical Engines', title: 'CTO' }),
    trackEvent(anon, 'demo_requested'),
  ];

  async function contactOf(email: string): Promise<string> {
    const row = await server.services.db
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('shows the profile, score breakdown, stage history, touches, anonymous ids and account', async () => {
    expect((await postBatch(server.url, batchOf(journey('ada-anon', 'ada@engines.example')))).status).toBe(
      202,
    );
    const id = await contactOf('ada@engines.example');
    const res = await server.api(`/api/contacts/${id}`, { key: server.readKey });
    expect(res.status).toBe(200);
    const contact = (await res.json()) as ContactJson;
    expect(contact).toMatchObject({ id, email: 'ada@engines.example', stage: 'sql' });
    expect(contact.traits).toMatchObject({ name: 'Ada Lovelace', title: 'CTO' });
    expect(contact.breakdown.length).toBeGreaterThan(0);
    expect(contact.breakdown.every((b) => typeof b.rule === 'string' && Array.isArray(b.event_ids))).toBe(
      true,
    );
    expect(contact.stage_history.map((t) => `${t.from}>${t.to}`)).toEqual(['visitor>lead', 'lead>sql']);
    expect(contact.stage_history[1]).toMatchObject({ actor: 'auto' });
    expect(contact.stage_history[1]!.event_ids).toHaveLength(1);
    expect(contact.first_touch).toMatchObject({ source: 'linkedin', campaign: 'launch' });
    expect(contact.last_touch).not.toBeNull();
    expect(contact.anonymous_ids).toEqual(['ada-anon']);
    expect(contact.account).toMatchObject({ domain: 'engines.example', contacts: 1 });
    expect((await server.api('/api/contacts/nobody')).status).toBe(404);
  });

  it('pages the timeline newest first, with no gaps or repeats among equal timestamps', async () => {
    const id = await contactOf('ada@engines.example');
    const stored = await server.services.db
      .selectFrom('events')
      .select(['id', 'ts', 'seq'])
      .where('contact_id', '=', id)
      .orderBy('ts', 'desc')
      .orderBy('seq', 'desc')
      .execute();
    expect(stored).toHaveLength(29);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await server.api(
        `/api/contacts/${id}/timeline?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        events: { id: string; type: string }[];
        next_cursor: string | null;
      };
      expect(page.events.length).toBeLessThanOrEqual(4);
      ids.push(...page.events.map((e) => e.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(ids).toEqual(stored.map((e) => e.id));
  });

  it('exports everything stored about the person as a JSON download', async () => {
    const id = await contactOf('ada@engines.example');
    const res = await server.api(`/api/contacts/${id}/export`, { key: server.readKey });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="contact-${id}.json"`);
    const data = (await res.json()) as {
      contact: { id: string; traits: Record<string, unknown> };
      events: { id: string; props: unknown }[];
      anonymous_ids: { anon: string }[];
      transitions: unknown[];
      webhook_deliveries: { event: string }[];
    };
    expect(data.contact.id).toBe(id);
    expect(data.contact.traits).toMatchObject({ company: 'Analytical Engines' });
    expect(data.events).toHaveLength(29);
    expect(data.events.find((e) => (e.props as { pricing?: boolean } | null)?.pricing)).toBeDefined();
    expect(data.anonymous_ids.map((a) => a.anon)).toEqual(['ada-anon']);
    expect(data.transitions).toHaveLength(2);
    expect(data.webhook_deliveries.map((d) => d.event).sort()).toEqual([
      'contact.sql',
      'contact.stage_changed',
    ]);
  });

  it('moves stages for sales: accept, reject with a reason, qualify; validates the body', async () => {
    expect(
      (await postBatch(server.url, batchOf(journey('bob-anon', 'bob@engines.example').slice(0, 3)))).status,
    ).toBe(202);
    await postBatch(server.url, batchOf([identifyEvent('bob-anon', 'bob@engines.example')]));
    const id = await contactOf('bob@engines.example');
    const move = (body: unknown, key = server.adminKey) =>
      server.api(`/api/contacts/${id}/stage`, {
        method: 'POST',
        key,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    for (const [body, field] of [
      [{}, 'stage'],
      [{ stage: 'promote' }, 'stage'],
      [{ stage: 42 }, 'stage'],
      [{ stage: 'reject' }, 'reason'],
      [{ stage: 'disqualified', reason: '' }, 'reason'],
      [{ stage: 'accept', reason: 'x'.repeat(501) }, 'reason'],
    ] as const) {
      const res = await move(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    expect((await move('{not json')).status).toBe(400);
    expect((await move({ stage: 'accept' }, server.readKey)).status).toBe(403);

    const accepted = await move({ stage: 'accept' });
    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as {
      transition: { to_stage: string; actor: string };
      contact: ContactJson;
    };
    expect(body.transition).toMatchObject({ to_stage: 'sal', actor: 'admin' });
    expect(body.contact.stage).toBe('sal');

    expect((await move({ stage: 'reject', reason: 'no budget this year' })).status).toBe(200);
    expect((await move({ stage: 'qualify' })).status).toBe(200);
    const contact = (await (await server.api(`/api/contacts/${id}`)).json()) as ContactJson;
    expect(contact.stage).toBe('sql');
    expect(contact.stage_history.slice(-3).map((t) => [t.to, t.actor])).toEqual([
      ['sal', 'admin'],
      ['recycled', 'admin'],
      ['sql', 'admin'],
    ]);
    expect(contact.stage_history.at(-2)!.reason).toBe('no budget this year');
    expect(
      (await server.api('/api/contacts/nobody/stage', { method: 'POST', body: '{"stage":"accept"}' })).status,
    ).toBe(404);
  });

  it('erases a person for good: replayed beacons bring nothing back and fire no webhook', async () => {
    const anon = 'cleo-anon';
    const original = batchOf(journey(anon, 'Cleo@Engines.example'));
    expect((await postBatch(server.url, original)).status).toBe(202);
    const id = await contactOf('cleo@engines.example');
    // Both of Cleo's webhooks (lead, sql) are out before the erasure.
    await waitFor(
      () => receiver.received.filter((r) => (r.json.contact as { id: string }).id === id).length === 2,
    );
    const deliveredBefore = receiver.received.length;

    expect((await server.api(`/api/contacts/${id}`, { method: 'DELETE', key: server.readKey })).status).toBe(
      403,
    );
    const res = await server.api(`/api/contacts/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ erased: true, id, events: 29, anonymous_ids: 1 });

    const { db: kdb } = server.services;
    const left = async () => ({
      contacts: (await kdb.selectFrom('contacts').select('id').where('email', 'like', 'cleo%').execute())
        .length,
      byId: (await kdb.selectFrom('contacts').select('id').where('id', '=', id).execute()).length,
      events: (await kdb.selectFrom('events').select('id').where('anon', '=', anon).execute()).length,
      anon: (await kdb.selectFrom('anon_ids').select('anon').where('anon', '=', anon).execute()).length,
      transitions: (await kdb.selectFrom('transitions').select('id').where('contact_id', '=', id).execute())
        .length,
      outbox: (await kdb.selectFrom('outbox').select('id').where('contact_id', '=', id).execute()).length,
    });
    const nothing = { contacts: 0, byId: 0, events: 0, anon: 0, transitions: 0, outbox: 0 };
    expect(await left()).toEqual(nothing);
    const hashes = (await kdb.selectFrom('erasures').selectAll().execute()).map((e) => e.hash);
    const { erasure } = server.services;
    expect(hashes).toContain(erasure.keyed(TEST_SITE, anon));
    expect(hashes).toContain(erasure.keyed(TEST_SITE, 'cleo@engines.example'));
    expect(JSON.stringify(await kdb.selectFrom('erasures').selectAll().execute())).not.toMatch(/cleo/i);

    // The same beacons again (a retrying SDK), fresh copies, and the email from a new device.
    const replay = await postBatch(server.url, original);
    expect(replay.status).toBe(202);
    const fresh = await postBatch(server.url, batchOf(journey(anon, 'cleo@engines.example')));
    expect(((await fresh.json()) as { accepted: number; refused: { reason: string }[] }).accepted).toBe(0);
    const otherDevice = await postBatch(
      server.url,
      batchOf([identifyEvent('cleo-phone', 'CLEO@engines.example', { title: 'CEO' })]),
    );
    expect(otherDevice.status).toBe(202);

    expect(await left()).toEqual(nothing);
    expect(
      (await kdb.selectFrom('anon_ids').select('contact_id').where('anon', '=', 'cleo-phone').execute())
        .length,
    ).toBe(0);
    expect((await server.api(`/api/contacts/${id}`)).status).toBe(404);
    expect((await server.api(`/api/contacts/${id}/export`)).status).toBe(404);
    expect((await server.api(`/api/contacts/${id}`, { method: 'DELETE' })).status).toBe(404);
    // Several dispatcher polls later: no webhook about Cleo, under her old id or a new one.
    // (Deliveries about other tests' contacts may still be arriving; they do not count.)
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const aboutCleo = receiver.received
      .slice(deliveredBefore)
      .filter(
        (r) =>
          /cleo/i.test(JSON.stringify(r.json.contact ?? {})) ||
          (r.json.contact as { id?: string })?.id === id,
      );
    expect(aboutCleo).toEqual([]);
  });
});
