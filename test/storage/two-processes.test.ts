/**
 * Two collector processes on one PostgreSQL, ingesting for the same contacts at once and
 * identifying the same anonymous ids from both: no duplicate contacts, no lost points, no
 * doubled transitions and no doubled webhooks. Runs when TEST_DATABASE_URL is set.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULESET } from '../../collector/scoring/core/rules';
import { scoreContactAsOf } from '../../collector/scoring/history';
import { createDatabase, type DatabaseHandle } from '../../collector/storage/database';
import { BROWSER_UA } from '../helpers/events';
import { type CollectorProcess, spawnCollector } from '../helpers/process';
import { createPgSchema, TEST_SITE } from '../helpers/server';

const url = process.env.TEST_DATABASE_URL;
const SECRET = 'webhook-secret-0123456789';

describe.skipIf(!url)('two collector processes on one PostgreSQL', () => {
  let dir: string;
  let schema: { schema: string; drop(): Promise<void> };
  let receiver: Server;
  let receiverPort: number;
  const deliveries: { event: string; delivery: string; contact: string }[] = [];
  const processes: CollectorProcess[] = [];
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-two-'));
    schema = await createPgSchema();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const parsed = JSON.parse(body) as { contact?: { id?: string } };
        deliveries.push({
          event: String(req.headers['x-leadtrail-event']),
          delivery: String(req.headers['x-leadtrail-delivery']),
          contact: parsed.contact?.id ?? '',
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
    receiverPort = (receiver.address() as { port: number }).port;
    const config = {
      sites: [{ key: TEST_SITE, origins: ['http://localhost:1'] }],
      rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 0 },
      webhooks: [
        {
          url: `http://127.0.0.1:${receiverPort}/hook`,
          secret: SECRET,
          events: ['contact.mql', 'contact.sql'],
          allow_private: true,
        },
      ],
    };
    const databaseUrl = `${url}?schema=${schema.schema}`;
    // The first process runs the migrations; the second finds them done.
    processes.push(await spawnCollector({ dir, databaseUrl, config }));
    processes.push(await spawnCollector({ dir, databaseUrl, config }));
    handle = createDatabase(url!, { schema: schema.schema });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await handle?.close();
    await new Promise((ok) => receiver?.close(ok));
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores and transitions each contact exactly once', async () => {
    const people = Array.from({ length: 6 }, (_, i) => ({
      anon: `two-${i}-${nanoid(6)}`,
      email: `person${i}@two-proc.io`,
    }));
    const sent: string[] = [];
    const sentFor = new Map<string, number>();
    const post = async (target: CollectorProcess, events: Record<string, unknown>[]) => {
      for (let attempt = 0; attempt < 10; attempt++) {
        const response = await fetch(`${target.url}/collect`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
          body: JSON.stringify({ site: TEST_SITE, sent_at: Date.now(), events }),
        });
        if (response.status === 202) return;
        expect(response.status).toBe(503);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('batch never accepted');
    };
    // Each round, both processes get events for every person at the same moment; in round 3
    // both identify the same anonymous id at once.
    for (let round = 0; round < 6; round++) {
      await Promise.all(
        people.flatMap((person, i) =>
          processes.map((target, p) => {
            const now = Date.now();
            const session = `${person.anon}-s${round}`;
            const events: Record<string, unknown>[] = [
              {
                id: nanoid(),
                type: 'page',
                ts: now,
                anon: person.anon,
                session,
                url: 'https://x.io/pricing',
                props: { pricing: true },
              },
              {
                id: nanoid(),
                type: 'track',
                name: 'download',
                ts: now,
                anon: person.anon,
                session,
                props: { file: `f${p}.pdf` },
              },
            ];
            if (round === 3)
              events.push({
                id: nanoid(),
                type: 'identify',
                ts: now,
                anon: person.anon,
                user: person.email,
                traits: { name: `P${i}` },
              });
            if (round === 5 && i % 2 === 0 && p === 0)
              events.push({
                id: nanoid(),
                type: 'track',
                name: 'demo_requested',
                ts: now,
                anon: person.anon,
                session,
              });
            for (const e of events) sent.push(e.id as string);
            sentFor.set(person.email, (sentFor.get(person.email) ?? 0) + events.length);
            return post(target, events);
          }),
        ),
      );
    }

    const { db } = handle;
    const events = await db.selectFrom('events').select('id').execute();
    expect(events.length).toBe(sent.length);

    for (const person of people) {
      const contacts = await db
        .selectFrom('contacts')
        .selectAll()
        .where('email', '=', person.email)
        .execute();
      expect(contacts.length, `one contact for ${person.email}`).toBe(1);
      const contact = contacts[0]!;
      const own = await db.selectFrom('events').select('id').where('contact_id', '=', contact.id).execute();
      expect(own.length, 'every event of the person is on the contact').toBe(sentFor.get(person.email));

      // No lost points: the stored score is what a full rescore of the log gives at the same moment.
      const fresh = await scoreContactAsOf(db, contact.id, {
        asOf: contact.scored_at!,
        current: DEFAULT_RULESET,
      });
      expect(contact.score).toBeCloseTo(fresh.total, 5);

      // No doubled transitions.
      const moves = await db
        .selectFrom('transitions')
        .select(['from_stage', 'to_stage'])
        .where('contact_id', '=', contact.id)
        .execute();
      const keys = moves.map((m) => `${m.from_stage}→${m.to_stage}`);
      expect(new Set(keys).size, keys.join(', ')).toBe(keys.length);
      expect(keys).toContain('lead→mql');
    }

    // No doubled webhooks: one delivery per (event, contact), each with its own delivery id.
    const expected = (await db.selectFrom('outbox').select('id').execute()).length;
    for (let i = 0; i < 100 && deliveries.length < expected; i++)
      await new Promise((r) => setTimeout(r, 200));
    const pairs = deliveries.map((d) => `${d.event}:${d.contact}`);
    expect(pairs.length).toBeGreaterThanOrEqual(people.length);
    expect(new Set(pairs).size, pairs.join('\n')).toBe(pairs.length);
    expect(new Set(deliveries.map((d) => d.delivery)).size).toBe(deliveries.length);
  }, 120_000);
});
