/**
 * Fuzzing the two parsers with random and mutated payloads: every answer is a 2xx or a 4xx,
 * never a 5xx or an unhandled rejection, and the server keeps serving.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_UA, batchOf, identifyEvent, pageView, trackEvent } from '../helpers/events';
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
