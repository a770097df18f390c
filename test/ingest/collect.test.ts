/**
 * POST /collect through a real HTTP server and a real database: what is accepted is stored
 * once, what is bad gets a 4xx naming the problem, and the server keeps serving.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../shared/limits';
import { BROWSER_UA, batchOf, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

const ORIGIN = 'https://www.example.com';

describe.each(TEST_DATABASES)('POST /collect on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ db, origins: [ORIGIN] });
  });
  afterAll(() => server.close());

  const countEvents = async () =>
    Number(
      (
        await server.services.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stored = (id: string) =>
    server.services.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();

  it('stores a page view and answers 202 with the count', async () => {
    const event = pageView(
      'anon-store',
      'https://www.example.com/pricing?utm_source=linkedin&utm_medium=paid-social',
    );
    const response = await postBatch(server.url, batchOf([event]), { origin: ORIGIN });
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, refused: [] });
    const row = await stored(event.id);
    expect(row).toMatchObject({
      type: 'page',
      path: '/pricing',
      utm_source: 'linkedin',
      ref_kind: 'paid',
      bot: 0,
    });
    expect(row?.contact_id).toBeTruthy();
  });

  it('acknowledges a replayed batch without storing anything twice', async () => {
    const batch = batchOf([
      pageView('anon-replay', 'https://www.example.com/'),
      trackEvent('anon-replay', 'download'),
    ]);
    const before = await countEvents();
    const first = await postBatch(server.url, batch);
    const second = await postBatch(server.url, batch);
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(second.status).toBe(202);
    expect(await second.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await countEvents()).toBe(before + 2);
  });

  it('accepts application/json as well as text/plain', async () => {
    const event = pageView('anon-json', 'https://www.example.com/');
    const response = await postBatch(server.url, batchOf([event]), { 'content-type': 'application/json' });
    expect(response.status).toBe(202);
    expect(await stored(event.id)).toBeTruthy();
  });

  it.each([
    ['malformed JSON', '{"site": "pk_test", "events": [', 400, 'invalid_json', undefined],
    [
      'a wrong type',
      { site: TEST_SITE, events: [{ id: 'x', type: 'page', ts: 'now' }] },
      400,
      'invalid_field',
      'events.0.ts',
    ],
    ['a missing events array', { site: TEST_SITE }, 400, 'invalid_field', 'events'],
    [
      'an unknown site key',
      { site: 'pk_unknown', events: [pageView('a', 'https://x.io/')] },
      403,
      'unknown_site',
      'site',
    ],
    [
      'a forbidden key',
      `{"site":"${TEST_SITE}","events":[{"id":"p1","type":"track","name":"x","ts":${Date.now()},"props":{"__proto__":{"x":1}}}]}`,
      400,
      'invalid_field',
      'events.0.props.__proto__',
    ],
  ])('refuses %s with a JSON error and stores nothing', async (_name, body, status, code, field) => {
    const before = await countEvents();
    const response = await postBatch(server.url, body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; field?: string; message: string } };
    expect(json.error.code).toBe(code);
    if (field) expect(json.error.field).toBe(field);
    expect(json.error.message.length).toBeGreaterThan(5);
    expect(await countEvents()).toBe(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses a body over 64 KB with 413, also when it arrives chunked', async () => {
    const big = JSON.stringify(batchOf([pageView('a', 'https://x.io/', { title: 'x'.repeat(1000) })])).padEnd(
      MAX_BODY_BYTES + 10,
      ' ',
    );
    const response = await postBatch(server.url, big);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');

    // Chunked: no Content-Length, so the limit must be enforced while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${server.url}/collect`);
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 80; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('refuses a single event over 32 KB with 413 naming it, even inside a body under 64 KB', async () => {
    const props = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    const body = batchOf([pageView('anon-big', 'https://x.io/'), trackEvent('anon-big', 'big', props)]);
    expect(JSON.stringify(body).length).toBeLessThan(MAX_BODY_BYTES);
    const response = await postBatch(server.url, body);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe('events.1');
  });

  it('accepts gzip bodies and refuses a gzip bomb with 413', async () => {
    const event = pageView('anon-gzip', 'https://www.example.com/');
    const ok = await postBatch(server.url, gzipSync(JSON.stringify(batchOf([event]))), {
      'content-encoding': 'gzip',
      'content-type': 'application/json',
    });
    expect(ok.status).toBe(202);
    expect(await stored(event.id)).toBeTruthy();

    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 32)); // 10 MB of spaces, ~10 KB compressed
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    const refused = await postBatch(server.url, bomb, { 'content-encoding': 'gzip' });
    expect(refused.status).toBe(413);
  });

  it('refuses an unsupported content type or encoding with 415', async () => {
    const body = batchOf([pageView('a', 'https://x.io/')]);
    expect((await postBatch(server.url, body, { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await postBatch(server.url, body, { 'content-encoding': 'br' })).status).toBe(415);
  });

  it('refuses beacons from an origin the site does not allow', async () => {
    const response = await postBatch(server.url, batchOf([pageView('a', 'https://evil.example/')]), {
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
  });

  it('answers the CORS preflight only for allowed origins', async () => {
    const allowed = await fetch(`${server.url}/collect`, { method: 'OPTIONS', headers: { origin: ORIGIN } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const denied = await fetch(`${server.url}/collect`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(denied.status).toBe(403);
  });

  it('corrects client clock skew with sent_at', async () => {
    const now = Date.now();
    const event = pageView('anon-skew', 'https://x.io/', { ts: now + 3_600_000 - 1000 });
    // The client clock runs an hour fast: its sent_at is an hour ahead too.
    await postBatch(server.url, { site: TEST_SITE, sent_at: now + 3_600_000, events: [event] });
    const row = await stored(event.id);
    expect(Math.abs(row!.ts - (now - 1000))).toBeLessThan(2000);
  });

  it('clamps timestamps more than 23 h in the future and flags them', async () => {
    const event = pageView('anon-future', 'https://x.io/', { ts: Date.now() + 48 * 3_600_000 });
    await postBatch(server.url, { site: TEST_SITE, events: [event] });
    const row = await stored(event.id);
    expect(row!.flags).toContain('clamped');
    expect(Math.abs(row!.ts - Date.now())).toBeLessThan(5000);
  });

  it('refuses events older than 7 days but keeps the rest of the batch', async () => {
    const old = pageView('anon-old', 'https://x.io/', { ts: Date.now() - 8 * 86_400_000 });
    const fresh = pageView('anon-old', 'https://x.io/');
    const response = await postBatch(server.url, { site: TEST_SITE, events: [old, fresh] });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({
      accepted: 1,
      refused: [{ id: old.id, reason: 'too_old' }],
    });
    expect(await stored(old.id)).toBeUndefined();
    expect(await stored(fresh.id)).toBeTruthy();
  });

  it('truncates the IP address before storing it', async () => {
    const event = pageView('anon-ip', 'https://x.io/');
    await postBatch(server.url, batchOf([event]));
    const row = await stored(event.id);
    expect(row!.ip).toBe('127.0.0.0');
  });

  it('parses the user agent and flags bots and headless browsers without creating contacts', async () => {
    const human = pageView('anon-human', 'https://x.io/');
    await postBatch(server.url, batchOf([human]));
    expect(await stored(human.id)).toMatchObject({
      browser: 'Chrome',
      os: 'Mac OS',
      device: 'desktop',
      bot: 0,
    });

    const crawler = pageView('anon-bot', 'https://x.io/');
    await postBatch(server.url, batchOf([crawler]), {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    const headless = pageView('anon-headless', 'https://x.io/');
    await postBatch(server.url, batchOf([headless]), {
      'user-agent': BROWSER_UA.replace('Chrome/', 'HeadlessChrome/'),
    });
    const automated = pageView('anon-webdriver', 'https://x.io/', { auto: 1 });
    await postBatch(server.url, batchOf([automated]));
    for (const event of [crawler, headless, automated]) {
      const row = await stored(event.id);
      expect(row!.bot).toBe(1);
      expect(row!.contact_id).toBeNull();
    }
    expect((await stored(automated.id))!.flags).toContain('automated');
  });

  it('classifies referrers', async () => {
    const cases: [string | undefined, string, string][] = [
      ['https://www.google.com/search?q=x', 'https://x.io/', 'search'],
      ['https://www.linkedin.com/feed/', 'https://x.io/', 'social'],
      ['https://partner.io/blog', 'https://x.io/', 'referral'],
      [undefined, 'https://x.io/', 'direct'],
      [undefined, 'https://x.io/?utm_medium=email&utm_source=newsletter', 'email'],
      [undefined, 'https://x.io/?gclid=abc', 'paid'],
      ['https://x.io/features', 'https://x.io/pricing', 'internal'],
    ];
    for (const [ref, url, kind] of cases) {
      const event = pageView(`anon-ref-${kind}`, url, ref ? { ref } : {});
      await postBatch(server.url, batchOf([event]));
      expect((await stored(event.id))?.ref_kind, `${ref} → ${kind}`).toBe(kind);
    }
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once an IP exceeds its allowance, and other sites are unaffected', async () => {
    const server = await startCollector({
      file: { rate_limit: { per_site_per_minute: 0, per_ip_per_minute: 5 } },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const response = await postBatch(server.url, batchOf([pageView('anon-rl', 'https://x.io/')]));
        statuses.push(response.status);
        if (response.status === 429) {
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
        }
      }
      expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    } finally {
      await server.close();
    }
  });
});
