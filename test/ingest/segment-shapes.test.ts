/**
 * /v1 as real clients send it: short paths, any content type holding JSON (gzip or not), `null`
 * fields, the write key in the body, Segment's clock-skew rule, its size limits and error shape,
 * usage metrics dropped; and CORS as on /collect, with browser messages going through bot
 * detection and IP truncation like beacons.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

const ORIGIN = 'http://app.example.test:3000';
const OTHER_ORIGIN = 'http://other.example.test';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.each(TEST_DATABASES)('/v1 paths and shapes on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      db,
      origins: [ORIGIN],
      file: {
        sites: [
          { key: TEST_SITE, origins: ['http://localhost:1', ORIGIN] },
          { key: 'pk_other', origins: [OTHER_ORIGIN] },
        ],
      },
    });
  });
  afterAll(() => server.close());

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: basic(TEST_SITE), 'content-type': 'application/json', ...headers },
      body,
    });
  const event = (id: string) =>
    server.services.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();

  it('takes every long and short path, and stores the right kind of event', async () => {
    const cases: [string, Record<string, unknown>, string, string | null][] = [
      ['/v1/p', { properties: { url: 'https://x.io/a' } }, 'page', null],
      ['/v1/s', { name: 'Home' }, 'page', null],
      ['/v1/t', { event: 'clicked' }, 'track', 'clicked'],
      ['/v1/i', { traits: { name: 'N' } }, 'identify', null],
      ['/v1/g', { groupId: 'g1' }, 'track', 'group'],
      ['/v1/screen', { name: 'Home' }, 'page', null],
      ['/v1/group', { groupId: 'g1' }, 'track', 'group'],
    ];
    for (const [i, [path, body, type, name]] of cases.entries()) {
      const id = `path-${i}`;
      const response = await post(
        path,
        JSON.stringify({ ...body, anonymousId: 'anon-paths', messageId: id }),
      );
      expect(response.status, path).toBe(200);
      expect(await response.json()).toEqual({ success: true });
      expect(await event(id), path).toMatchObject({ type, name });
    }
    for (const path of ['/v1/b', '/v1/batch', '/v1/import']) {
      const id = `batch-${path}`;
      const response = await post(
        path,
        JSON.stringify({ batch: [{ type: 'track', event: 'b', anonymousId: 'anon-paths', messageId: id }] }),
      );
      expect(response.status, path).toBe(200);
      expect(await event(id), path).toMatchObject({ type: 'track', name: 'b' });
    }
    const alias = await post('/v1/a', JSON.stringify({ previousId: 'anon-paths', userId: 'u-paths' }));
    expect(alias.status).toBe(200);
  });

  it('reads JSON under any content type, gzip or not, and the write key from the body', async () => {
    const body = (id: string) =>
      JSON.stringify({ anonymousId: 'anon-ct', event: 'e', messageId: id, writeKey: TEST_SITE });
    const types = ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', ''];
    for (const [i, type] of types.entries()) {
      const response = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: body(`ct-${i}`),
      });
      expect(response.status, type).toBe(200);
    }
    const gz = await post('/v1/track', gzipSync(body('ct-gzip')), {
      'content-type': 'application/x-www-form-urlencoded',
      'content-encoding': 'gzip',
    });
    expect(gz.status).toBe(200);
    for (const id of ['ct-0', 'ct-1', 'ct-2', 'ct-3', 'ct-gzip']) expect(await event(id), id).toBeDefined();
    const notJson = await post('/v1/track', 'userId=1&event=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(notJson.status).toBe(400);
  });

  it('treats null as an absent field (analytics.js sends "userId": null before identify)', async () => {
    const response = await post(
      '/v1/p',
      JSON.stringify({
        type: 'page',
        userId: null,
        anonymousId: 'anon-null',
        name: null,
        properties: { url: 'https://x.io/null', title: null, search: '' },
        context: { page: null, campaign: null, traits: null, ip: null },
        traits: null,
        timestamp: null,
        originalTimestamp: null,
        messageId: 'null-1',
        integrations: {},
      }),
    );
    expect(response.status).toBe(200);
    expect(await event('null-1')).toMatchObject({ type: 'page', url: 'https://x.io/null', user: null });
  });

  it("corrects the client's clock as Segment does, and keeps an export's timestamp as it is", async () => {
    // The client's clock runs an hour fast; the event happened 5 s before it was sent.
    const clientNow = Date.now() + 3600_000;
    await post(
      '/v1/batch',
      JSON.stringify({
        sentAt: new Date(clientNow).toISOString(),
        batch: [
          {
            type: 'track',
            event: 'skewed',
            anonymousId: 'anon-skew',
            messageId: 'skew-1',
            originalTimestamp: new Date(clientNow - 5000).toISOString(),
          },
        ],
      }),
    );
    const skewed = (await event('skew-1'))!;
    expect(Number(skewed.ts)).toBe(Number(skewed.received_at) - 5000);
    // A message of an export: `timestamp` was already corrected when Segment received it.
    const at = Date.now() - 3 * 24 * 3600_000;
    await post(
      '/v1/track',
      JSON.stringify({
        event: 'exported',
        anonymousId: 'anon-skew',
        messageId: 'skew-2',
        timestamp: new Date(at).toISOString(),
        originalTimestamp: new Date(at - 7200_000).toISOString(),
        sentAt: new Date(at - 7100_000).toISOString(),
        receivedAt: new Date(at + 20).toISOString(),
      }),
    );
    expect(Number((await event('skew-2'))!.ts)).toBe(at);
  });

  it("enforces Segment's limits (32 KB a message, 500 KB a request) with its error shape", async () => {
    const big = 'x'.repeat(900);
    const fat = {
      type: 'track',
      event: 'fat',
      anonymousId: 'anon-lim',
      properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, big])),
    };
    const batch = await post(
      '/v1/batch',
      JSON.stringify({ batch: [{ type: 'track', event: 'ok', anonymousId: 'anon-lim' }, fat] }),
    );
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({
      success: false,
      message: expect.stringContaining('32768'),
      error: { code: 'payload_too_large', field: 'batch.1' },
    });
    const single = await post('/v1/track', JSON.stringify(fat));
    expect(single.status).toBe(400);
    expect(((await single.json()) as { success: boolean }).success).toBe(false);

    // Many small messages up to 500 KB are one request (more than /collect's 100 events).
    const many = Array.from({ length: 1500 }, (_, i) => ({
      type: 'track',
      event: 'm',
      anonymousId: `anon-many-${i % 50}`,
      messageId: `many-${i}`,
    }));
    const ok = await post('/v1/batch', JSON.stringify({ batch: many }));
    expect(ok.status).toBe(200);
    expect(await event('many-1499')).toBeDefined();
    const huge = await post(
      '/v1/batch',
      JSON.stringify({ batch: [...many, ...many, ...many, ...many, ...many, ...many, ...many] }),
    );
    expect(huge.status).toBe(413);
    const hugeGzip = await post(
      '/v1/batch',
      gzipSync(JSON.stringify({ batch: [...many, ...many, ...many, ...many, ...many, ...many, ...many] })),
      { 'content-encoding': 'gzip' },
    );
    expect(hugeGzip.status).toBe(413);
  });

  it('bounds ids before anything reads them, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'track', event: 'e', anonymousId: 'a', userId: 'u'.repeat(256) }, 'batch.0.userId'],
      [{ type: 'track', event: 'e', anonymousId: 'a'.repeat(129) }, 'batch.0.anonymousId'],
      [{ type: 'alias', userId: 'u', previousId: 'p'.repeat(256) }, 'batch.0.previousId'],
      [{ type: 'group', anonymousId: 'a', groupId: 'g'.repeat(256) }, 'batch.0.groupId'],
      [{ type: 'track', event: 'e'.repeat(201), anonymousId: 'a' }, 'batch.0.event'],
    ];
    for (const [message, field] of cases) {
      const response = await post('/v1/batch', JSON.stringify({ batch: [message] }));
      expect(response.status, field).toBe(400);
      expect(((await response.json()) as { error: { field: string } }).error.field).toBe(field);
    }
  });

  it('accepts and drops analytics.js usage metrics on /v1/m', async () => {
    const before = await server.services.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const response = await fetch(`${server.url}/v1/m`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN },
      body: JSON.stringify({
        series: [{ type: 'Counter', metric: 'analytics_js.invoke', value: 1, tags: {} }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const after = await server.services.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('answers preflights for the headers the libraries send, for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/v1/t`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-retry-count',
        },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const allowed = ok.headers.get('access-control-allow-headers')!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']));
    const refused = await preflight('http://evil.example.test');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("allows a request only from its site's origins, and checks browser messages for bots", async () => {
    const fromBrowser = (origin: string, id: string, ua = BROWSER_UA) =>
      post(
        '/v1/t',
        JSON.stringify({
          anonymousId: 'anon-cors',
          event: 'e',
          messageId: id,
          context: { ip: '198.51.100.9' },
        }),
        {
          origin,
          'user-agent': ua,
          'content-type': 'text/plain',
        },
      );
    const ok = await fromBrowser(ORIGIN, 'cors-1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await event('cors-1')).toMatchObject({ bot: 0, browser: 'Chrome', ip: '127.0.0.0' });
    // Allowed for another site, not for this key's.
    const other = await fromBrowser(OTHER_ORIGIN, 'cors-2');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(await event('cors-2')).toBeUndefined();
    const headless = await fromBrowser(
      ORIGIN,
      'cors-3',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36',
    );
    expect(headless.status).toBe(200);
    expect(await event('cors-3')).toMatchObject({ bot: 1 });
  });
});
