/**
 * Fuzzing the two parsers with random and mutated payloads: every answer is a 2xx or a 4xx,
 * never a 5xx or an unhandled rejection, and the server keeps serving. Then the hostile shapes:
 * a 60 KB (or pathologically dotted) value in every field of both APIs, forbidden keys hidden by
 * control characters, and bodies that never end on every route.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEndlessBody } from '../helpers/endless-body';
import { BROWSER_UA, batchOf, identifyEvent, pageView, postBatch, trackEvent } from '../helpers/events';
import { startCollector, TEST_SITE, type TestCollector } from '../helpers/server';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

/** A valid batch with one field somewhere replaced by an arbitrary value, or deleted. */
const mutatedBatch = fc
  .tuple(
    fc.constantFrom('page', 'track', 'identify'),
    fc.constantFrom(
      'id',
      'type',
      'ts',
      'anon',
      'session',
      'url',
      'ref',
      'title',
      'props',
      'traits',
      'user',
      'name',
      'campaign',
      'auto',
      'hmac',
    ),
    fc.oneof(
      fc.anything(),
      fc.constant(undefined),
      fc.string({ maxLength: 3000 }),
      fc.double(),
      fc.object({ maxDepth: 6 }),
    ),
    fc.constantFrom('site', 'sent_at', 'events', 'none'),
    fc.anything(),
  )
  .map(([kind, field, value, top, topValue]) => {
    const event: Record<string, unknown> = {
      ...(kind === 'page'
        ? pageView('fuzz', 'https://x.io/')
        : kind === 'track'
          ? trackEvent('fuzz', 'x')
          : identifyEvent('fuzz', 'f@x.io')),
    };
    if (value === undefined) delete event[field];
    else event[field] = value;
    const batch: Record<string, unknown> = { ...batchOf([event as never]) };
    if (top !== 'none') batch[top] = topValue;
    return JSON.stringify(batch);
  });

const segmentMessage = fc
  .record(
    {
      type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'group', 'alias', 'screen'), fc.string()),
      anonymousId: fc.oneof(fc.string(), fc.integer()),
      userId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      previousId: fc.string(),
      event: fc.string(),
      properties: fc.oneof(fc.object({ maxDepth: 5 }), fc.anything()),
      traits: fc.oneof(fc.object({ maxDepth: 5 }), fc.anything()),
      context: fc.oneof(
        fc.object({ maxDepth: 3 }),
        fc.record({ campaign: fc.anything(), page: fc.anything(), ip: fc.anything() }),
      ),
      timestamp: fc.oneof(fc.date({ noInvalidDate: false }).map(String), fc.string(), fc.integer()),
      messageId: fc.oneof(fc.string(), fc.anything()),
    },
    { requiredKeys: [] },
  )
  .map((message) => JSON.stringify({ batch: [message] }));

const anyBody = fc.oneof(
  mutatedBatch,
  fc.json({ maxDepth: 6 }),
  fc.string({ maxLength: 2000 }),
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

describe('fuzzing /collect and /v1/batch', () => {
  let server: TestCollector;
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startCollector();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });

  it('answers /collect with 2xx or 4xx for any body', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.constantFrom('text/plain', 'application/json'), async (body, type) => {
        const response = await fetch(`${server.url}/collect`, {
          method: 'POST',
          headers: { 'content-type': type, 'user-agent': BROWSER_UA },
          body,
        });
        await response.arrayBuffer();
        return response.status < 500;
      }),
      { numRuns: 400 },
    );
    expect(unhandled).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('answers /v1/batch with 2xx or 4xx for any body', async () => {
    const auth = `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`;
    await fc.assert(
      fc.asyncProperty(fc.oneof(segmentMessage, anyBody), async (body) => {
        const response = await fetch(`${server.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: auth },
          body,
        });
        await response.arrayBuffer();
        return response.status < 500;
      }),
      { numRuns: 400 },
    );
    expect(unhandled).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

/** The hostile shapes: every field too long, forbidden keys hidden by control characters, bodies that never end. */
describe('hostile shapes on both APIs', () => {
  let server: TestCollector;
  const auth = `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`;
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startCollector({
      file: { dashboard: { users: [{ user: 'maria', password: 'at least 8' }] } },
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
  });

  const LONG = 'x'.repeat(60_000);
  /** Dots the old email pattern could split a thousand ways: seconds of backtracking. */
  const DOTTED = `a@${'b.'.repeat(20_000)} `;
  const set = (target: Record<string, unknown>, path: string, value: unknown) => {
    const keys = path.split('.');
    let node = target;
    for (const key of keys.slice(0, -1)) {
      node[key] = { ...((node[key] as Record<string, unknown>) ?? {}) };
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1)!] = value;
    return target;
  };
  const timed = async (send: () => Promise<Response>) => {
    const started = performance.now();
    const response = await send();
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  };
  const collect = (body: unknown) =>
    fetch(`${server.url}/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
      body: JSON.stringify(body),
    });
  const segment = (body: unknown) =>
    fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    });

  const WIRE_FIELDS = [
    'site',
    'events.0.id',
    'events.0.anon',
    'events.0.session',
    'events.0.name',
    'events.0.url',
    'events.0.ref',
    'events.0.title',
    'events.0.user',
    'events.0.hmac',
    'events.0.props.plan',
    'events.0.traits.email',
    'events.0.traits.company',
    'events.0.campaign.utm_source',
  ];
  it.each(WIRE_FIELDS.flatMap((field) => [[field, 'long'] as const, [field, 'dotted'] as const]))(
    '/collect: a %s that is %s is a 4xx, answered quickly',
    async (field, kind) => {
      const event = {
        ...identifyEvent('hostile', 'h@x.io', { plan: 'pro' }),
        name: 'n',
        url: 'https://x.io/',
      };
      const body = set(
        { ...batchOf([event as never]) } as Record<string, unknown>,
        field,
        kind === 'long' ? LONG : DOTTED,
      );
      body.events = [(body.events as Record<string, unknown>)[0] ?? event];
      const { status, ms } = await timed(() => collect(body));
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(ms).toBeLessThan(2000);
    },
  );

  const SEGMENT_FIELDS = [
    'messageId',
    'anonymousId',
    'userId',
    'previousId',
    'groupId',
    'event',
    'name',
    'timestamp',
    'writeKey',
    'properties.plan',
    'traits.email',
    'traits.company',
    'context.ip',
    'context.userAgent',
    'context.traits.email',
    'context.page.url',
    'context.page.title',
    'context.page.referrer',
    'context.campaign.source',
  ];
  it.each(
    SEGMENT_FIELDS.flatMap((field) =>
      (['track', 'identify', 'page', 'group', 'alias'] as const).map((type) => [field, type] as const),
    ),
  )('/v1/batch: a 60 KB %s on %s is a 4xx, answered quickly', async (field, type) => {
    const message = set(
      {
        type,
        messageId: `m-${field}-${type}`,
        anonymousId: 'a1',
        userId: 'u1',
        previousId: 'p1',
        event: 'e',
        groupId: 'g',
      },
      field,
      field.endsWith('email') || field === 'userId' ? DOTTED : LONG,
    );
    const { status, ms } = await timed(() => segment({ batch: [message] }));
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses a forbidden key with control characters anywhere inside it, on both APIs', async () => {
    const controls = fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0008',
      '\u000b',
      '\u001f',
      '\u007f',
      '\u0085',
      '\u009f',
    );
    const hidden = fc
      .tuple(
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        fc.array(fc.tuple(fc.nat(), controls), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('props', 'traits'),
      )
      .map(([key, inserts, where]) => {
        let out = key;
        for (const [at, char] of inserts) {
          const i = at % (out.length + 1);
          out = out.slice(0, i) + char + out.slice(i);
        }
        return { key: out, where };
      });
    await fc.assert(
      fc.asyncProperty(hidden, async ({ key, where }) => {
        const event =
          where === 'props'
            ? trackEvent('ctl', 'x', { [key]: { admin: true } })
            : identifyEvent('ctl', 'c@x.io', { [key]: 1 });
        const wire = await collect(batchOf([event]));
        await wire.arrayBuffer();
        const field = where === 'props' ? 'properties' : 'traits';
        const seg = await segment({
          batch: [
            {
              type: where === 'props' ? 'track' : 'identify',
              userId: 'u',
              event: 'x',
              [field]: { [key]: 1 },
            },
          ],
        });
        await seg.arrayBuffer();
        return wire.status === 400 && seg.status === 400;
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it('answers a body that never ends with 413 and a closed connection, on every route that takes one', async () => {
    const routes = [
      '/collect',
      '/v1/batch',
      '/v1/track',
      '/v1/identify',
      '/v1/page',
      '/v1/screen',
      '/v1/group',
      '/v1/alias',
      '/v1/import',
      '/dashboard/login',
      '/dashboard/logout',
      '/dashboard/contacts/x/stage',
      '/api/contacts/x/stage',
      '/api/leads',
      '/',
      '/no-such-route',
    ];
    const before = process.memoryUsage().rss;
    for (const path of routes) {
      const result = await sendEndlessBody(server.url, path, {
        headers: { 'content-type': 'application/json', authorization: auth },
        maxBytes: 16 * 1024 * 1024,
      });
      expect(result.status, path).toBe(413);
      expect(result.closed, path).toBe(true);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
    expect(unhandled).toEqual([]);
    expect((await postBatch(server.url, batchOf([pageView('after-hostile', 'https://x.io/')]))).status).toBe(
      202,
    );
  }, 120_000);
});
