/**
 * Identity that cannot be claimed, on a site with an `identity_secret`: no path names a person
 * without a token from the site's backend or a server key (/collect identify, every /v1 type,
 * alias, group); an unsigned claim cannot pre-create a contact that a later signed identify
 * stitches the attacker into; a token works only for its site, user, expiry and (when bound)
 * anonymous id. Server keys keep working, and are refused from browsers.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../collector/config';
import { signIdentity } from '../../collector/ingest/signature';
import { BROWSER_UA, batchOf, identifyEvent, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

const SECRET = 'identity-secret-0123456789';
const SERVER_KEY = 'srv_live_0123456789abcdefghijkl';
const OTHER_SITE = 'pk_other';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(TEST_DATABASES)('identity that cannot be claimed on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      db,
      file: {
        sites: [
          {
            key: TEST_SITE,
            origins: ['http://localhost:1'],
            identity_secret: SECRET,
            server_keys: [SERVER_KEY],
          },
          // Same secret on purpose: a token for one site must still not work on the other.
          { key: OTHER_SITE, origins: ['http://localhost:2'], identity_secret: SECRET },
        ],
      },
    });
  });
  afterAll(() => server.close());

  const v1 = (path: string, body: unknown, key = TEST_SITE, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/v1/${path}`, {
      method: 'POST',
      headers: { authorization: basic(key), 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const contactByEmail = (email: string) =>
    server.services.db.selectFrom('contacts').selectAll().where('email', '=', email).executeTakeFirst();
  const anonsOf = async (contactId: string) =>
    (
      await server.services.db
        .selectFrom('anon_ids')
        .select('anon')
        .where('contact_id', '=', contactId)
        .orderBy('anon')
        .execute()
    ).map((r) => r.anon);
  const eventsOf = (contactId: string) =>
    server.services.db.selectFrom('events').selectAll().where('contact_id', '=', contactId).execute();
  const contactOfAnon = async (anon: string) =>
    (
      await server.services.db
        .selectFrom('anon_ids')
        .select('contact_id')
        .where('anon', '=', anon)
        .executeTakeFirst()
    )?.contact_id;
  const errorField = async (response: Response) =>
    ((await response.json()) as { error: { field?: string } }).error.field;

  it('refuses every unsigned way of naming a verified person, and the person is unchanged', async () => {
    const token = signIdentity(SECRET, { sub: 'ceo@bank.com', site: TEST_SITE });
    const signed = await postBatch(
      server.url,
      batchOf([
        pageView('anon-ceo', 'https://bank.com/'),
        identifyEvent('anon-ceo', 'ceo@bank.com', { title: 'CFO' }, { hmac: token }),
      ]),
    );
    expect(signed.status).toBe(202);
    const before = (await contactByEmail('ceo@bank.com'))!;
    expect(before).toMatchObject({ verified: 1, title: 'CFO', stage: 'lead' });
    const eventsBefore = (await eventsOf(before.id)).length;

    const claim = { anonymousId: 'anon-evil', userId: 'ceo@bank.com' };
    const identify = await v1('identify', { ...claim, traits: { email: 'ceo@bank.com', title: 'Intern' } });
    expect(identify.status).toBe(403);
    expect(await errorField(identify)).toBe('context.leadtrail.signature');
    const byEmailOnly = await v1('i', { anonymousId: 'anon-evil', traits: { email: 'ceo@bank.com' } });
    expect(byEmailOnly.status).toBe(403);
    const alias = await v1('alias', { previousId: 'anon-evil', userId: 'ceo@bank.com' });
    expect(alias.status).toBe(403);
    const noAnon = await v1('track', { userId: 'ceo@bank.com', event: 'demo_requested' });
    expect(noAnon.status).toBe(403);
    expect(await errorField(noAnon)).toBe('userId');
    const unsignedCollect = await postBatch(
      server.url,
      batchOf([identifyEvent('anon-evil', 'ceo@bank.com')]),
    );
    expect(unsignedCollect.status).toBe(403);

    // A userId riding on track, page and group is ignored: the events stay with the attacker's own id.
    const ride = await v1('batch', {
      batch: [
        { type: 'track', ...claim, event: 'demo_requested', messageId: 'ride-1' },
        { type: 'page', ...claim, properties: { url: 'https://bank.com/pricing' }, messageId: 'ride-2' },
        { type: 'group', ...claim, groupId: 'bank', traits: { employees: 5000 }, messageId: 'ride-3' },
      ],
    });
    expect(ride.status).toBe(200);
    const evil = await contactOfAnon('anon-evil');
    expect(evil).toBeDefined();
    expect(evil).not.toBe(before.id);
    const ridden = await server.services.db
      .selectFrom('events')
      .select(['id', 'contact_id', 'user'])
      .where('id', 'in', ['ride-1', 'ride-2', 'ride-3'])
      .execute();
    expect(ridden).toHaveLength(3);
    for (const event of ridden) expect(event).toMatchObject({ contact_id: evil, user: null });

    const after = (await contactByEmail('ceo@bank.com'))!;
    expect(after).toMatchObject({
      title: 'CFO',
      stage: 'lead',
      score: before.score,
      user_id: before.user_id,
      traits: before.traits,
    });
    expect(await anonsOf(before.id)).toEqual(['anon-ceo']);
    expect((await eventsOf(before.id)).length).toBe(eventsBefore);
  });

  it('names people with a signature carried in context.leadtrail.signature', async () => {
    const signature = signIdentity(SECRET, { sub: 'u-900', email: 'lin@beta.io', site: TEST_SITE });
    const response = await v1('identify', {
      anonymousId: 'anon-lin',
      userId: 'u-900',
      traits: { email: 'lin@beta.io', name: 'Lin' },
      context: { leadtrail: { signature } },
    });
    expect(response.status).toBe(200);
    const lin = (await contactByEmail('lin@beta.io'))!;
    expect(lin).toMatchObject({ user_id: 'u-900', verified: 1, name: 'Lin' });
    // Later calls repeat the userId unsigned (as analytics.js does): they land on Lin through her anonymous id.
    await v1('track', {
      anonymousId: 'anon-lin',
      userId: 'u-900',
      event: 'demo_requested',
      messageId: 'lin-raise',
    });
    const raise = await server.services.db
      .selectFrom('events')
      .select('contact_id')
      .where('id', '=', 'lin-raise')
      .executeTakeFirstOrThrow();
    expect(raise.contact_id).toBe(lin.id);
    expect((await contactByEmail('lin@beta.io'))!.stage).toBe('sql');

    // A signature for the user id alone does not prove an email put beside it.
    const own = signIdentity(SECRET, { sub: 'u-901', site: TEST_SITE });
    await v1('identify', {
      anonymousId: 'anon-901',
      userId: 'u-901',
      traits: { email: 'lin@beta.io' },
      context: { leadtrail: { signature: own } },
    });
    expect(await contactOfAnon('anon-901')).not.toBe(lin.id);
    expect(await anonsOf(lin.id)).toEqual(['anon-lin']);
  });

  it('keeps trusting server keys: they name users, carry context.ip and import old events', async () => {
    const old = new Date(Date.now() - 60 * 24 * 3600_000).toISOString();
    const response = await v1(
      'batch',
      {
        batch: [
          {
            type: 'identify',
            userId: 'u-srv',
            traits: { email: 'srv@corp.io', title: 'VP Sales' },
            context: { ip: '203.0.113.77' },
            messageId: 'srv-1',
          },
          { type: 'track', userId: 'u-srv', event: 'demo_requested', messageId: 'srv-2' },
          {
            type: 'page',
            userId: 'u-srv',
            timestamp: old,
            messageId: 'srv-old',
            properties: { url: 'https://corp.io/' },
          },
        ],
      },
      SERVER_KEY,
    );
    expect(response.status).toBe(200);
    const contact = (await contactByEmail('srv@corp.io'))!;
    expect(contact).toMatchObject({ user_id: 'u-srv', verified: 1, stage: 'sql' });
    const rows = await server.services.db
      .selectFrom('events')
      .select(['id', 'ip', 'ts', 'contact_id'])
      .where('id', 'in', ['srv-1', 'srv-2', 'srv-old'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.contact_id)).toEqual([contact.id, contact.id, contact.id]);
    expect(rows.find((r) => r.id === 'srv-1')!.ip).toBe('203.0.113.0');
    expect(Number(rows.find((r) => r.id === 'srv-old')!.ts)).toBe(Date.parse(old));

    // The public key: context.ip is not believed, and events older than 7 days are refused.
    await v1('page', {
      anonymousId: 'anon-pub-ip',
      context: { ip: '203.0.113.78' },
      messageId: 'pub-ip',
      properties: { url: 'https://corp.io/' },
    });
    await v1('page', { anonymousId: 'anon-pub-ip', timestamp: old, messageId: 'pub-old' });
    const pub = await server.services.db
      .selectFrom('events')
      .select(['id', 'ip'])
      .where('id', 'in', ['pub-ip', 'pub-old'])
      .execute();
    expect(pub).toEqual([{ id: 'pub-ip', ip: '127.0.0.0' }]);
  });

  it('refuses a server key from a browser, on /v1 and on /collect', async () => {
    const fromPage = await v1('track', { anonymousId: 'a-b', event: 'x' }, SERVER_KEY, {
      origin: 'http://localhost:1',
    });
    expect(fromPage.status).toBe(403);
    expect(await errorField(fromPage)).toBe('writeKey');
    const collect = await postBatch(server.url, batchOf([pageView('a-b', 'https://x.io/')], SERVER_KEY), {
      origin: 'http://localhost:1',
    });
    expect(collect.status).toBe(403);
    // Without a browser's Origin, /collect takes the server key too, and trusts its identify unsigned.
    const server2server = await postBatch(
      server.url,
      batchOf([identifyEvent('a-srv', 'backend@corp.io', {})], SERVER_KEY),
      { 'user-agent': BROWSER_UA },
    );
    expect(server2server.status).toBe(202);
    expect((await contactByEmail('backend@corp.io'))!.verified).toBe(1);
  });

  it('does not let an unsigned claim pre-create a contact a later signed identify stitches into', async () => {
    const claim = { anonymousId: 'anon-pre-evil', userId: 'new@victim.io' };
    await v1('track', { ...claim, event: 'pricing_viewed', messageId: 'pre-1' });
    expect((await v1('identify', { ...claim, traits: { email: 'new@victim.io' } })).status).toBe(403);
    expect(
      (await postBatch(server.url, batchOf([identifyEvent('anon-pre-evil', 'new@victim.io')]))).status,
    ).toBe(403);
    expect(await contactByEmail('new@victim.io')).toBeUndefined();

    const signature = signIdentity(SECRET, { sub: 'new@victim.io', site: TEST_SITE });
    const response = await v1('identify', {
      anonymousId: 'anon-pre-victim',
      userId: 'new@victim.io',
      context: { leadtrail: { signature } },
    });
    expect(response.status).toBe(200);
    const victim = (await contactByEmail('new@victim.io'))!;
    expect(await anonsOf(victim.id)).toEqual(['anon-pre-victim']);
    expect(await contactOfAnon('anon-pre-evil')).not.toBe(victim.id);
    const preEvent = await server.services.db
      .selectFrom('events')
      .select('contact_id')
      .where('id', '=', 'pre-1')
      .executeTakeFirstOrThrow();
    expect(preEvent.contact_id).not.toBe(victim.id);
  });

  it('binds a signature to its site, its user, its expiry and (when given) its anonymous id', async () => {
    const user = 'replay@target.io';
    const nowS = Math.floor(Date.now() / 1000);
    const identify = (anon: string, hmac: string, site = TEST_SITE) =>
      postBatch(server.url, batchOf([identifyEvent(anon, user, {}, { hmac })], site), {
        origin: site === TEST_SITE ? 'http://localhost:1' : 'http://localhost:2',
      });
    const plainHmac = createHmac('sha256', SECRET).update(user).digest('hex');
    const refusals: [string, string, string?][] = [
      ['plain HMAC of the user (never expires, any site, any id)', plainHmac],
      ['token for another site', signIdentity(SECRET, { sub: user, site: OTHER_SITE })],
      ['token for another user', signIdentity(SECRET, { sub: 'other@target.io', site: TEST_SITE })],
      ['expired token', signIdentity(SECRET, { sub: user, site: TEST_SITE, exp: nowS - 3600 })],
      [
        'token bound to another anonymous id',
        signIdentity(SECRET, { sub: user, site: TEST_SITE, anon: 'anon-a' }),
      ],
      [
        'token signed with another secret',
        signIdentity('another-secret-0123456789', { sub: user, site: TEST_SITE }),
      ],
      [
        'token with alg none',
        signIdentity(SECRET, { sub: user, site: TEST_SITE }).replace(
          /^[^.]+/,
          Buffer.from('{"alg":"none"}').toString('base64url'),
        ),
      ],
    ];
    for (const [name, hmac] of refusals) {
      const response = await identify('anon-b', hmac);
      expect(response.status, name).toBe(403);
    }
    // The same token for TEST_SITE presented on the other site (same secret) is refused there.
    const good = signIdentity(SECRET, { sub: user, site: TEST_SITE, exp: nowS + 3600, anon: 'anon-a' });
    expect((await identify('anon-a', good, OTHER_SITE)).status).toBe(403);
    expect(await contactByEmail(user)).toBeUndefined();
    // The right anonymous id within its lifetime: accepted, once or again (a retry), from that id only.
    expect((await identify('anon-a', good)).status).toBe(202);
    expect((await identify('anon-a', good)).status).toBe(202);
    expect((await identify('anon-b', good)).status).toBe(403);
    const contact = (await contactByEmail(user))!;
    expect(await anonsOf(contact.id)).toEqual(['anon-a']);
  });
});

describe('sites[].server_keys in the config', () => {
  const load = (sites: unknown[], extra: Record<string, unknown> = {}) =>
    loadConfig({
      env: { LEADTRAIL_ADMIN_KEY: 'sk_test_admin_0123456789abcdef', DATABASE_URL: ':memory:' },
      file: { sites, ...extra },
    });
  const site = (key: string, server_keys: unknown) => ({ key, origins: ['https://a.io'], server_keys });

  it.each([
    ['a short key', [site('pk_aa', ['short'])], 'sites.0.server_keys.0'],
    [
      'a key with the public prefix',
      [site('pk_aa', ['pk_0123456789abcdefghijklmn'])],
      'sites.0.server_keys.0',
    ],
    ['a key with spaces', [site('pk_aa', ['srv 0123456789abcdefghijklmn'])], 'sites.0.server_keys.0'],
    ['not a list', [site('pk_aa', 'srv_0123456789abcdefghijklmn')], 'sites.0.server_keys'],
    [
      'one key on two sites',
      [site('pk_aa', ['srv_0123456789abcdefghijklmn']), site('pk_bb', ['srv_0123456789abcdefghijklmn'])],
      'sites.1.server_keys.0',
    ],
  ])('refuses %s, naming the field', (_name, sites, field) => {
    expect(() => load(sites)).toThrow(`config: ${field}:`);
  });

  it('refuses a server key that is also an API key, and accepts a valid one', () => {
    const key = 'srv_0123456789abcdefghijklmn';
    expect(() => load([site('pk_aa', [key])], { api_keys: [{ name: 'x', key, access: 'read' }] })).toThrow(
      'config: sites.0.server_keys.0: must differ from every API key',
    );
    expect(load([site('pk_aa', [key])]).sites[0]!.server_keys).toEqual([key]);
    expect(load([{ key: 'pk_aa', origins: ['https://a.io'] }]).sites[0]!.server_keys).toEqual([]);
  });
});
