/**
 * Erasure, byte for byte: after `DELETE /api/contacts/:id`, no row of any table (SQLite and
 * PostgreSQL) and, on a real SQLite file, neither the database file nor its WAL holds the person's email, user id, anonymous ids or a marker from
 * their URLs — including their bot-flagged events (no contact owns those), an event of another
 * contact that names their email, and their Segment user id. Later events naming them by any of
 * those (a Segment user id alone included) are dropped, and the stored hashes are keyed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyErasureHash } from '../../collector/privacy';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';
import { sameDatabase } from '../outbox/process';

const EMAIL = 'zelda.quartermain@erased-example.org';
const USER_ID = 'usr_ZQ_98231';
const ANON = 'anon-zq-7f3e91';
const BOT_ANON = 'anon-zq-bot-55c1';
const MARKER = 'mkZQ4471';
const SECRETS = [EMAIL, USER_ID, ANON, BOT_ANON, MARKER];

let server: TestCollector;

const segment = (path: string, body: Record<string, unknown>) =>
  fetch(`${server.url}/v1/${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });

const TABLES = ['events', 'contacts', 'anon_ids', 'identity_links', 'transitions', 'outbox'] as const;

/** Which of the person's identifiers any row of any table still holds (both databases). */
async function inRows(): Promise<string[]> {
  const text: string[] = [];
  for (const table of TABLES)
    text.push(JSON.stringify(await server.services.db.selectFrom(table).selectAll().execute()));
  const all = text.join('\n').toLowerCase();
  return SECRETS.filter((secret) => all.includes(secret.toLowerCase()));
}

/** Which of the person's identifiers can be found in the database file or its WAL (SQLite). */
function traces(): string[] {
  if (server.services.database.dialect !== 'sqlite') return [];
  const file = server.databaseUrl;
  const bytes = [file, `${file}-wal`].filter(existsSync).map((path) => readFileSync(path));
  return SECRETS.filter((secret) =>
    bytes.some((b) => b.includes(Buffer.from(secret)) || b.includes(Buffer.from(secret.toUpperCase()))),
  );
}

describe.each(TEST_DATABASES)('erasure leaves nothing behind on %s', (db) => {
  beforeAll(async () => {
    server = await startCollector({ db });
  });
  afterAll(() => server.close());

  it('removes every trace from the database and the WAL, and keeps them out afterwards', async () => {
    const url = (page: string) => `https://site.test/${page}?ref=${MARKER}`;
    const ok = async (response: Promise<Response>) => expect((await response).status).toBeLessThan(300);
    // Their browser: page views with the marker, then they name themselves.
    await ok(
      postBatch(
        server.url,
        batchOf([
          pageView(ANON, url('pricing')),
          pageView(ANON, url('docs')),
          identifyEvent(ANON, EMAIL, { name: 'Zelda Q', company: 'Erased Example' }),
        ]),
      ),
    );
    // Their browser again, automated (bot-flagged: stored with no contact), under another id too.
    await ok(postBatch(server.url, batchOf([pageView(ANON, url('bot-1'), { auto: 1 })])));
    await ok(postBatch(server.url, batchOf([pageView(BOT_ANON, url('bot-2'), { auto: 1 })])));
    // Their backend, through Segment: the same email with a user id, then by user id only.
    await ok(segment('identify', { userId: USER_ID, anonymousId: BOT_ANON, traits: { email: EMAIL } }));
    await ok(segment('track', { userId: USER_ID, event: 'report_exported', properties: { page: MARKER } }));
    // Someone else names them: a colleague's invite form carries their email.
    await ok(
      postBatch(
        server.url,
        batchOf([
          identifyEvent('anon-colleague', 'colleague@other-example.org'),
          trackEvent('anon-colleague', 'invite_sent', { invitee: EMAIL.toUpperCase() }),
        ]),
      ),
    );
    const kdb = server.services.db;
    const contact = await kdb
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', EMAIL)
      .executeTakeFirstOrThrow();
    const colleague = await kdb
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', 'colleague@other-example.org')
      .executeTakeFirstOrThrow();
    // Every identifier is stored, and on disk, before the erasure (so this test can fail).
    expect((await inRows()).sort()).toEqual([...SECRETS].sort());
    if (db === 'sqlite') expect(traces().sort()).toEqual([...SECRETS].sort());

    const erased = await server.api(`/api/contacts/${contact.id}`, { method: 'DELETE' });
    expect(erased.status).toBe(200);
    expect(await inRows()).toEqual([]);
    expect(traces()).toEqual([]);

    // What is kept: keyed hashes, which a dictionary of emails cannot reverse without the key.
    const hashes = (await kdb.selectFrom('erasures').select('hash').execute()).map((r) => r.hash);
    expect(hashes.length).toBeGreaterThanOrEqual(4);
    for (const hash of hashes) expect(hash).toMatch(/^k1:[0-9a-f]{64}$/);
    const plain = createHash('sha256').update(`${TEST_SITE}\u0000${EMAIL}`).digest('hex');
    expect(hashes.some((hash) => hash.includes(plain))).toBe(false);
    // The colleague keeps their own history, minus the event that named the erased person.
    const left = await kdb
      .selectFrom('events')
      .select('name')
      .where('contact_id', '=', colleague.id)
      .execute();
    expect(left.map((e) => e.name)).not.toContain('invite_sent');
    expect(left.length).toBeGreaterThan(0);

    // Later: the backend still sends their user id alone, a browser replays, a new device uses the email.
    await ok(segment('track', { userId: USER_ID, event: 'report_exported', properties: { page: MARKER } }));
    await ok(segment('identify', { userId: 'usr_new_device_1', traits: { email: EMAIL } }));
    await ok(postBatch(server.url, batchOf([pageView(ANON, url('again'))])));
    await ok(postBatch(server.url, batchOf([pageView(BOT_ANON, url('again'), { auto: 1 })])));
    const back = await kdb
      .selectFrom('contacts')
      .select('id')
      .where((eb) =>
        eb.or([eb('email', '=', EMAIL), eb('user_id', '=', USER_ID), eb('user_id', '=', 'usr_new_device_1')]),
      )
      .execute();
    expect(back).toEqual([]);
    expect(traces()).toEqual([]);
    expect(await inRows()).toEqual([]);
  }, 60_000);
});

describe('erasures made before keyed hashes', () => {
  beforeAll(async () => {
    server = await startCollector();
  });
  afterAll(() => server.close());

  it('keep suppressing: a process that finds plain SHA-256 rows at start also matches them', async () => {
    const legacyAnon = 'anon-erased-in-2025';
    await server.services.db
      .insertInto('erasures')
      .values({ site: TEST_SITE, hash: legacyErasureHash(TEST_SITE, legacyAnon), kind: 'anon', erased_at: 1 })
      .execute();
    const restarted = await sameDatabase(server);
    try {
      const response = await postBatch(restarted.url, batchOf([pageView(legacyAnon, 'https://site.test/')]));
      const body = (await response.json()) as { accepted: number; refused: { reason: string }[] };
      expect(body.accepted).toBe(0);
      expect(body.refused.map((r) => r.reason)).toEqual(['erased']);
    } finally {
      await restarted.close();
    }
  }, 30_000);
});
