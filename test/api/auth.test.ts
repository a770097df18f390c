/**
 * Every /api route behind a secret key: missing, wrong, malformed and public keys get 401; a
 * read-only key reads but cannot write (403); the full key does both; and no key ever shows up
 * in the process's output.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCollector, TEST_SITE, type TestCollector } from '../helpers/server';
import { insertContact } from './seed';

const READS = [
  '/api/leads',
  '/api/leads.csv',
  '/api/leads/stream',
  '/api/contacts/c1',
  '/api/contacts/c1/timeline',
  '/api/contacts/c1/export',
  '/api/accounts',
  '/api/accounts/acme.com',
  '/api/reports/funnel',
  '/api/reports/attribution',
  '/api/reports/sources',
  '/api/reports/pages',
  '/api/scoring/audit',
  '/api/contacts/c1/score-history',
];
const WRITES: [string, string, string?][] = [
  ['POST', '/api/contacts/c1/stage', JSON.stringify({ stage: 'accept' })],
  ['POST', '/api/outcomes', JSON.stringify([{ contact: 'c1', outcome: 'lost', at: Date.now() - 1000 }])],
  ['DELETE', '/api/contacts/c2'],
];
const ROUTES: [string, string, string?][] = [
  ...READS.map((path): [string, string] => ['GET', path]),
  ...WRITES,
];

describe('API keys', () => {
  let server: TestCollector;
  const output: string[] = [];

  beforeAll(async () => {
    // Each call below plays a different client (X-Forwarded-For behind one trusted proxy): from
    // one address, this many wrong keys would be throttled (test/ingest/rate-limits.test.ts).
    server = await startCollector({ file: { trust_proxy: 1 } });
    await insertContact(server.services.db, {
      id: 'c1',
      email: 'a@acme.com',
      domain: 'acme.com',
      stage: 'lead',
    });
    await insertContact(server.services.db, { id: 'c2', email: 'b@acme.com', domain: 'acme.com' });
    // Everything the process prints while the tests run, to prove no key is ever logged.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        output.push(args.map(String).join(' '));
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server?.close();
  });

  let client = 0;
  /** A request; streams are cut off once the status is known. */
  async function call(method: string, path: string, body: string | undefined, authorization?: string) {
    const abort = new AbortController();
    const res = await fetch(`${server.url}${path}`, {
      method,
      body: body ?? null,
      signal: abort.signal,
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `198.51.100.${(client++ % 250) + 1}`,
        ...(authorization ? { authorization } : {}),
      },
    });
    const text = res.headers.get('content-type')?.includes('event-stream') ? '' : await res.text();
    abort.abort();
    return { status: res.status, text, headers: res.headers };
  }

  afterEach(() => {
    for (const line of output) {
      expect(line).not.toContain(server.adminKey);
      expect(line).not.toContain(server.readKey);
      expect(line).not.toContain('sk_wrong_key_0123456789');
    }
  });

  it.each(ROUTES)('%s %s without a key → 401 with a Bearer challenge', async (method, path, body) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(JSON.parse(res.text).error.code).toBe('unauthorized');
  });

  it.each(ROUTES)('%s %s with a wrong or malformed key → 401', async (method, path, body) => {
    for (const authorization of [
      'Bearer sk_wrong_key_0123456789',
      `Bearer ${server.adminKey}x`,
      `Bearer ${server.adminKey.slice(0, -1)}`,
      `Basic ${Buffer.from(`${server.adminKey}:`).toString('base64')}`,
      server.adminKey,
      'Bearer ',
    ]) {
      expect((await call(method, path, body, authorization)).status, authorization).toBe(401);
    }
  });

  it.each(ROUTES)('%s %s with the public site key → 401', async (method, path, body) => {
    const res = await call(method, path, body, `Bearer ${TEST_SITE}`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text).error.message).toMatch(/site keys/);
  });

  it.each(READS)('GET %s with the read-only key is allowed', async (path) => {
    const res = await call('GET', path, undefined, `Bearer ${server.readKey}`);
    expect(res.status).toBe(200);
  });

  it.each(WRITES)('%s %s with the read-only key → 403 and nothing changes', async (method, path, body) => {
    const res = await call(method, path, body, `bearer ${server.readKey}`);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.code).toBe('forbidden');
    const contacts = await server.services.db
      .selectFrom('contacts')
      .select(['id', 'stage'])
      .orderBy('id')
      .execute();
    expect(contacts).toEqual([
      { id: 'c1', stage: 'lead' },
      { id: 'c2', stage: 'lead' },
    ]);
  });

  it.each(WRITES)('%s %s with the full key is allowed', async (method, path, body) => {
    const res = await call(method, path, body, `Bearer ${server.adminKey}`);
    expect(res.status, res.text).toBe(200);
  });
});
