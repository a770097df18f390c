/**
 * Every route that reads a body has a limit, enforced while the body arrives: a client streaming
 * a body that never ends gets a 413 after a few kilobytes, the connection is closed, and the
 * server's memory does not grow. Real HTTP server on loopback, chunked bodies without a length.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_BODY_BYTES } from '../../collector/body-limit';
import { MAX_BODY_BYTES } from '../../shared/limits';
import { sendEndlessBody } from '../helpers/endless-body';
import { startCollector, TEST_ADMIN_KEY, TEST_SITE, type TestCollector } from '../helpers/server';

const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const segment = {
  authorization: `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`,
  'content-type': 'application/json',
};

const ROUTES: [string, string, Record<string, string>, number][] = [
  ['POST', '/dashboard/login', form, FORM_BODY_BYTES],
  ['POST', '/dashboard/logout', form, FORM_BODY_BYTES],
  ['POST', '/dashboard/contacts/c1/stage', form, FORM_BODY_BYTES],
  ['POST', '/api/contacts/c1/stage', admin, FORM_BODY_BYTES],
  ['POST', '/api/contacts/c1/stage', { 'content-type': 'application/json' }, FORM_BODY_BYTES],
  ['DELETE', '/api/contacts/c1', admin, FORM_BODY_BYTES],
  ['POST', '/collect', { 'content-type': 'text/plain' }, MAX_BODY_BYTES],
  ['POST', '/v1/batch', segment, MAX_BODY_BYTES * 8],
  ['POST', '/v1/track', segment, MAX_BODY_BYTES * 8],
  ['POST', '/', form, FORM_BODY_BYTES],
];

describe('a body that never ends', () => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({
      file: { dashboard: { users: [{ user: 'maria', password: 'at least 8' }] } },
    });
  });
  afterAll(() => server.close());

  // First, so nothing else has grown the heap yet.
  it('keeps the process small while oversized bodies arrive on every route', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    for (const [method, path, headers] of ROUTES) {
      await sendEndlessBody(server.url, path, { method, headers, maxBytes: 64 * 1024 * 1024 });
    }
    const after = process.memoryUsage().rss;
    console.log(
      `RSS before ${(before / 2 ** 20).toFixed(0)} MB, after ${ROUTES.length} endless bodies ${(after / 2 ** 20).toFixed(0)} MB`,
    );
    // Before the limits, the sign-in form alone buffered every byte (a 1.5 GB POST grew the
    // process to 5.6 GB). The client here was ready to send 64 MB per route.
    expect(after - before).toBeLessThan(32 * 2 ** 20);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it.each(ROUTES)(
    '%s %s: 413 before the rest is read, and the connection closed',
    async (method, path, headers, limit) => {
      const result = await sendEndlessBody(server.url, path, { method, headers, maxBytes: 64 * 1024 * 1024 });
      expect(result.status).toBe(413);
      // Answered once the limit was crossed, not after the 64 MB the client was ready to send
      // (socket buffers on both ends hold a few hundred kilobytes).
      expect(result.sentBeforeAnswer).toBeLessThan(limit + 4 * 1024 * 1024);
      expect(result.connection).toBe('close');
      expect(result.closed).toBe(true);
    },
  );

  it('a declared Content-Length over the limit is refused before a byte is read', async () => {
    const response = await fetch(`${server.url}/dashboard/login`, {
      method: 'POST',
      headers: form,
      body: 'x'.repeat(FORM_BODY_BYTES + 1),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('still reads ordinary bodies: a sign-in and a stage move', async () => {
    const stage = await fetch(`${server.url}/api/contacts/nobody/stage`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ stage: 'accept' }),
    });
    expect(stage.status).toBe(404);
    const bad = await fetch(`${server.url}/api/contacts/nobody/stage`, {
      method: 'POST',
      headers: admin,
      body: '{"stage":',
    });
    expect(bad.status).toBe(400);
  });
});
