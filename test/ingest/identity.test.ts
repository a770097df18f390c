/**
 * Identity resolution through the real endpoint: anonymous history is stitched on identify, one
 * email is one contact across devices, identified contacts are never merged silently, and
 * signed identify is enforced when a site has a secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentity } from '../../collector/ingest/signature';
import { batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

describe.each(TEST_DATABASES)('identity on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ db });
  });
  afterAll(() => server.close());

  const contactOfEvent = async (id: string) =>
    (
      await server.services.db
        .selectFrom('events')
        .select('contact_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).contact_id;
  const contactByEmail = (email: string) =>
    server.services.db.selectFrom('contacts').selectAll().where('email', '=', email).executeTakeFirst();
  const contactCount = async () =>
    Number(
      (
        await server.services.db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates one visitor contact per anonymous id', async () => {
    const before = await contactCount();
    const a = pageView('anon-v1', 'https://x.io/');
    const b = pageView('anon-v1', 'https://x.io/features');
    await postBatch(server.url, batchOf([a]));
    await postBatch(server.url, batchOf([b]));
    expect(await contactCount()).toBe(before + 1);
    const contact = await contactOfEvent(a.id);
    expect(contact).toBe(await contactOfEvent(b.id));
    const row = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '=', contact!)
      .executeTakeFirstOrThrow();
    expect(row.email).toBeNull();
  });

  it('stitches earlier anonymous events to the contact when identify names the id', async () => {
    const views = [
      pageView('anon-s1', 'https://x.io/'),
      pageView('anon-s1', 'https://x.io/pricing'),
      trackEvent('anon-s1', 'download'),
    ];
    await postBatch(server.url, batchOf(views));
    const anonymousContact = await contactOfEvent(views[0]!.id);
    await postBatch(
      server.url,
      batchOf([
        identifyEvent('anon-s1', 'Grace@Hopper.dev', {
          name: 'Grace Hopper',
          company: 'Navy',
          title: 'Rear Admiral',
        }),
      ]),
    );
    const contact = await contactByEmail('grace@hopper.dev');
    expect(contact).toMatchObject({
      name: 'Grace Hopper',
      company: 'Navy',
      title: 'Rear Admiral',
      domain: 'hopper.dev',
    });
    // Named in place: the visitor contact became the lead, history and all.
    expect(contact!.id).toBe(anonymousContact);
    for (const event of views) expect(await contactOfEvent(event.id)).toBe(contact!.id);
  });

  it('joins the same email from two devices into one contact, with both histories', async () => {
    const laptop = pageView('anon-laptop', 'https://x.io/blog/');
    const phone = pageView('anon-phone', 'https://x.io/pricing');
    await postBatch(
      server.url,
      batchOf([laptop, identifyEvent('anon-laptop', 'ada@acme.io', { name: 'Ada' })]),
    );
    await postBatch(server.url, batchOf([phone]));
    const before = await contactCount();
    await postBatch(server.url, batchOf([identifyEvent('anon-phone', 'ADA@acme.io')]));
    expect(await contactCount()).toBe(before - 1); // the phone's visitor contact was folded in
    const ada = await contactByEmail('ada@acme.io');
    expect(await contactOfEvent(laptop.id)).toBe(ada!.id);
    expect(await contactOfEvent(phone.id)).toBe(ada!.id);
    const anons = await server.services.db
      .selectFrom('anon_ids')
      .select('anon')
      .where('contact_id', '=', ada!.id)
      .execute();
    expect(anons.map((r) => r.anon).sort()).toEqual(['anon-laptop', 'anon-phone']);
    const links = await server.services.db
      .selectFrom('identity_links')
      .selectAll()
      .where('to_contact', '=', ada!.id)
      .execute();
    expect(links.map((l) => l.kind)).toContain('merge');
    // Later events from either device land on Ada.
    const later = pageView('anon-phone', 'https://x.io/features');
    await postBatch(server.url, batchOf([later]));
    expect(await contactOfEvent(later.id)).toBe(ada!.id);
  });

  it('never merges two identified contacts: the shared browser moves on and the conflict is logged', async () => {
    const first = pageView('anon-shared', 'https://x.io/');
    await postBatch(server.url, batchOf([first, identifyEvent('anon-shared', 'alice@corp.io')]));
    await postBatch(server.url, batchOf([identifyEvent('anon-shared', 'bob@corp.io')]));
    const alice = await contactByEmail('alice@corp.io');
    const bob = await contactByEmail('bob@corp.io');
    expect(alice && bob && alice.id !== bob.id).toBe(true);
    expect(await contactOfEvent(first.id)).toBe(alice!.id);
    const after = pageView('anon-shared', 'https://x.io/pricing');
    await postBatch(server.url, batchOf([after]));
    expect(await contactOfEvent(after.id)).toBe(bob!.id);
    const conflict = await server.services.db
      .selectFrom('identity_links')
      .selectAll()
      .where('kind', '=', 'conflict')
      .where('from_contact', '=', alice!.id)
      .executeTakeFirst();
    expect(conflict).toMatchObject({ to_contact: bob!.id, anon: 'anon-shared' });
  });
});

describe.each(TEST_DATABASES)('signed identify on %s', (db) => {
  const SECRET = 'identity-secret-0123456789';
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      db,
      file: { sites: [{ key: TEST_SITE, origins: ['http://localhost:1'], identity_secret: SECRET }] },
    });
  });
  afterAll(() => server.close());

  it('refuses an unsigned or wrongly signed identify with 403 naming the field, storing nothing', async () => {
    const view = pageView('anon-sig', 'https://x.io/');
    for (const hmac of [
      undefined,
      signIdentity('wrong-secret-0123456789', { sub: 'ceo@bank.com', site: TEST_SITE }),
      'zz',
    ]) {
      const response = await postBatch(
        server.url,
        batchOf([view, identifyEvent('anon-sig', 'ceo@bank.com', {}, hmac ? { hmac } : {})]),
      );
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { field: string } }).error.field).toBe('events.1.hmac');
    }
    expect(
      await server.services.db.selectFrom('events').select('id').where('id', '=', view.id).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await server.services.db
        .selectFrom('contacts')
        .select('id')
        .where('email', '=', 'ceo@bank.com')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('accepts a correctly signed identify and marks the contact verified', async () => {
    const hmac = signIdentity(SECRET, { sub: 'ceo@bank.com', site: TEST_SITE });
    const response = await postBatch(
      server.url,
      batchOf([identifyEvent('anon-sig2', 'ceo@bank.com', { name: 'CEO' }, { hmac })]),
    );
    expect(response.status).toBe(202);
    const contact = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'ceo@bank.com')
      .executeTakeFirstOrThrow();
    expect(contact.verified).toBe(1);
  });
});

describe('an unsigned claim on a verified contact', () => {
  it('is recorded as a claim and changes nothing on that contact', async () => {
    const SECRET = 'identity-secret-0123456789';
    const file = join(mkdtempSync(join(tmpdir(), 'leadtrail-claim-')), 'claim.db');
    const signed = await startCollector({
      env: { DATABASE_URL: file },
      file: { sites: [{ key: TEST_SITE, origins: ['http://localhost:1'], identity_secret: SECRET }] },
    });
    const hmac = signIdentity(SECRET, { sub: 'cfo@bank.com', site: TEST_SITE });
    await postBatch(
      signed.url,
      batchOf([identifyEvent('anon-real', 'cfo@bank.com', { title: 'CFO' }, { hmac })]),
    );
    await signed.close();
    // The same database, later served without a secret: identify is no longer signed.
    const unsigned = await startCollector({ env: { DATABASE_URL: file } });
    try {
      await postBatch(
        unsigned.url,
        batchOf([identifyEvent('anon-spoof', 'cfo@bank.com', { title: 'Intern' })]),
      );
      const contact = await unsigned.services.db
        .selectFrom('contacts')
        .selectAll()
        .where('email', '=', 'cfo@bank.com')
        .executeTakeFirstOrThrow();
      expect(contact.title).toBe('CFO');
      const spoofAnon = await unsigned.services.db
        .selectFrom('anon_ids')
        .selectAll()
        .where('anon', '=', 'anon-spoof')
        .executeTakeFirstOrThrow();
      expect(spoofAnon.contact_id).not.toBe(contact.id);
      const claim = await unsigned.services.db
        .selectFrom('identity_links')
        .selectAll()
        .where('kind', '=', 'claim')
        .executeTakeFirst();
      expect(claim).toMatchObject({ to_contact: contact.id, anon: 'anon-spoof' });
    } finally {
      await unsigned.close();
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});
