/**
 * Every string is bounded before a pattern or an index sees it: an over-long user id, email or
 * Segment id is a 400 naming the field, quickly, on SQLite and PostgreSQL alike (where a long
 * value would otherwise hit the b-tree row limit and fail the whole group). The latency of a
 * normal beacon meanwhile is measured in test/faults/hostile-latency.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EMAIL_BYTES, MAX_USER_ID_BYTES } from '../../shared/limits';
import { batchOf, identifyEvent, postBatch } from '../helpers/events';
import { startCollector, TEST_DATABASES, TEST_SITE, type TestCollector } from '../helpers/server';

const basic = `Basic ${Buffer.from(`${TEST_SITE}:`).toString('base64')}`;
/** A string the old email pattern needed seconds for: dots it could split a thousand ways. */
const backtracker = (bytes: number) => `a@${'b.'.repeat(Math.floor(bytes / 2))} `;
const sixtyKb = 'u'.repeat(60 * 1024);

const fieldOf = async (response: Response) =>
  ((await response.json()) as { error?: { field?: string } }).error?.field;

describe.each(TEST_DATABASES)('long strings on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ db });
  });
  afterAll(() => server.close());

  const segment = (path: string, body: unknown) =>
    fetch(`${server.url}/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic },
      body: JSON.stringify(body),
    });

  it('refuses a 60 KB Segment userId with 400 naming it, fast', async () => {
    const started = performance.now();
    const response = await segment('track', { userId: sixtyKb, event: 'x' });
    const ms = performance.now() - started;
    expect(response.status).toBe(400);
    expect(await fieldOf(response)).toBe('userId');
    expect(ms).toBeLessThan(2000);
  });

  it.each([
    ['userId', { type: 'identify', userId: 'x'.repeat(MAX_USER_ID_BYTES + 1) }, 'batch.0.userId'],
    ['previousId', { type: 'alias', userId: 'u1', previousId: sixtyKb }, 'batch.0.previousId'],
    ['groupId', { type: 'group', userId: 'u1', groupId: sixtyKb }, 'batch.0.groupId'],
    ['anonymousId', { type: 'page', anonymousId: sixtyKb }, 'batch.0.anonymousId'],
    [
      'traits.email',
      { type: 'identify', userId: 'u1', traits: { email: backtracker(2000) } },
      'batch.0.traits.email',
    ],
    [
      'context.traits.email',
      { type: 'identify', userId: 'u1', context: { traits: { email: `${'é'.repeat(127)}@x.io` } } },
      'batch.0.context.traits.email',
    ],
    [
      'context.userAgent',
      { type: 'page', anonymousId: 'a', context: { userAgent: sixtyKb } },
      'batch.0.context.userAgent',
    ],
    // Multi-byte characters: 100 characters but 300 bytes.
    ['userId in bytes', { type: 'track', event: 'x', userId: '漢'.repeat(100) }, 'batch.0.userId'],
  ])('refuses an over-long %s in /v1/batch with 400 naming it', async (_name, message, field) => {
    const response = await segment('batch', { batch: [message] });
    expect(response.status).toBe(400);
    expect(await fieldOf(response)).toBe(field);
  });

  it.each([
    ['a 60 KB user id', sixtyKb],
    ['a user id over 255 bytes in few characters', '漢'.repeat(86)],
    ['an email over 254 bytes', `${'a'.repeat(MAX_EMAIL_BYTES - 4)}@x.io`],
    ['a multi-byte email PostgreSQL could not index', `${'漢'.repeat(90)}@acme.io`],
    ['an email that made the old pattern backtrack', backtracker(300)],
  ])('refuses %s on /collect identify with 400 naming events.0.user', async (_name, user) => {
    const response = await postBatch(server.url, batchOf([identifyEvent(`anon-${db}-long`, user)]));
    expect(response.status).toBe(400);
    expect(await fieldOf(response)).toBe('events.0.user');
  });

  it('keeps an email of exactly 254 bytes and a user id of exactly 255', async () => {
    const email = `${'a'.repeat(MAX_EMAIL_BYTES - 9)}@acme.io`.padStart(MAX_EMAIL_BYTES, 'z');
    expect(Buffer.byteLength(email)).toBe(MAX_EMAIL_BYTES);
    const userId = 'k'.repeat(MAX_USER_ID_BYTES);
    const first = await postBatch(server.url, batchOf([identifyEvent(`anon-${db}-254`, email)]));
    expect(first.status).toBe(202);
    const second = await segment('identify', { userId, anonymousId: `anon-${db}-255` });
    expect(second.status).toBe(200);
    const contacts = server.services.db.selectFrom('contacts').select(['email', 'user_id']);
    expect(await contacts.where('email', '=', email).executeTakeFirst()).toBeDefined();
    expect(await contacts.where('user_id', '=', userId).executeTakeFirst()).toBeDefined();
  });
});
