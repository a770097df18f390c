/**
 * The Segment-compatible API, driven by Segment's own Node library pointed at a real collector,
 * plus the HTTP Tracking API's semantics (Basic-auth write key, messageId dedupe).
 */
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(TEST_DATABASES)('Segment-compatible /v1 on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ db });
  });
  afterAll(() => server.close());

  const eventsOf = (anon: string) =>
    server.services.db.selectFrom('events').selectAll().where('anon', '=', anon).orderBy('ts').execute();

  it('receives a batch from @segment/analytics-node intact', async () => {
    const analytics = new Analytics({ writeKey: TEST_SITE, host: server.url, flushAt: 20, maxRetries: 1 });
    const anonymousId = 'seg-anon-1';
    const context = {
      campaign: { name: 'spring', source: 'newsletter', medium: 'email' },
      page: {
        url: 'https://www.example.com/pricing',
        referrer: 'https://mail.google.com/',
        title: 'Pricing',
      },
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    };
    analytics.page({
      anonymousId,
      name: 'Pricing',
      properties: { url: 'https://www.example.com/pricing' },
      context,
    });
    analytics.track({
      anonymousId,
      event: 'whitepaper_downloaded',
      properties: { file: 'guide.pdf' },
      context,
    });
    analytics.identify({
      anonymousId,
      userId: 'u-42',
      traits: { email: 'lin@beta.io', name: 'Lin', title: 'VP Sales' },
      context,
    });
    analytics.track({ userId: 'u-42', event: 'trial_started', properties: { plan: 'pro' } });
    analytics.group({ userId: 'u-42', groupId: 'beta-inc', traits: { name: 'Beta Inc', employees: 200 } });
    await analytics.closeAndFlush({ timeout: 10_000 });

    const contact = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'lin@beta.io')
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ user_id: 'u-42', name: 'Lin', title: 'VP Sales' });
    const events = await server.services.db
      .selectFrom('events')
      .selectAll()
      .where('contact_id', '=', contact.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.type, e.name])).toEqual([
      ['page', null],
      ['track', 'whitepaper_downloaded'],
      ['identify', null],
      ['track', 'trial_started'],
      ['track', 'group'],
    ]);
    expect(events[0]).toMatchObject({
      url: 'https://www.example.com/pricing',
      utm_campaign: 'spring',
      utm_source: 'newsletter',
      ref_kind: 'email',
      browser: 'Chrome',
      bot: 0,
    });
    expect(JSON.parse(events[1]!.props!)).toEqual({ file: 'guide.pdf' });
    // messageIds are kept as event ids, so a library retry is deduplicated.
    expect(events.every((e) => e.id.length > 10)).toBe(true);
  });

  it('deduplicates on messageId and answers {success: true}', async () => {
    const message = {
      anonymousId: 'seg-anon-2',
      event: 'clicked',
      messageId: 'msg-dup-1',
      timestamp: new Date().toISOString(),
    };
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: basic(TEST_SITE), 'content-type': 'application/json' },
        body: JSON.stringify(message),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ success: true });
    }
    expect((await eventsOf('seg-anon-2')).length).toBe(1);
  });

  it('alias joins a previous anonymous id to the user', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: basic(TEST_SITE), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/v1/page', { anonymousId: 'seg-anon-3', properties: { url: 'https://x.io/features' } });
    await post('/v1/identify', { userId: 'u-77', traits: { email: 'kay@gamma.io' } });
    await post('/v1/alias', { previousId: 'seg-anon-3', userId: 'u-77' });
    const kay = await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('email', '=', 'kay@gamma.io')
      .executeTakeFirstOrThrow();
    const [page] = await eventsOf('seg-anon-3');
    expect(page?.contact_id).toBe(kay.id);
  });

  it.each([
    ['no write key', {}, { batch: [{ type: 'track', event: 'x', anonymousId: 'a' }] }, 401, undefined],
    [
      'an unknown write key',
      { authorization: basic('pk_nope') },
      { batch: [{ type: 'track', event: 'x', anonymousId: 'a' }] },
      403,
      'writeKey',
    ],
    [
      'a message without any id',
      { authorization: basic(TEST_SITE) },
      { batch: [{ type: 'track', event: 'x' }] },
      400,
      'batch.0.userId',
    ],
    [
      'a track without event',
      { authorization: basic(TEST_SITE) },
      { batch: [{ type: 'track', anonymousId: 'a' }] },
      400,
      'batch.0.event',
    ],
    [
      'an unknown type',
      { authorization: basic(TEST_SITE) },
      { batch: [{ type: 'explode', anonymousId: 'a' }] },
      400,
      'batch.0.type',
    ],
    [
      'deep properties',
      { authorization: basic(TEST_SITE) },
      { batch: [{ type: 'track', event: 'x', anonymousId: 'a', properties: { a: { b: { c: { d: 1 } } } } }] },
      400,
      'batch.0.properties.a.b.c',
    ],
  ])('refuses %s with a JSON error naming the field', async (_name, headers, body, status, field) => {
    const response = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { field?: string } };
    if (field) expect(json.error.field).toBe(field);
  });
});
