/**
 * SQL-injection strings in every query parameter, path segment, cursor and body field of the
 * API: each answer is a clean 200 (no rows leaked by a text match), 400 or 404 — never a 500 —
 * and the database is exactly as it was afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../collector/api/cursor';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { insertContact, insertEvent } from './seed';

const PAYLOADS = [
  "' OR '1'='1",
  '1; DROP TABLE contacts; --',
  '" OR ""="',
  "%' OR 1=1 --",
  "x') UNION SELECT email, email FROM contacts --",
  "\\'; DELETE FROM events; --",
  '1 OR 1=1',
];

const QUERY_PARAMS: Record<string, string[]> = {
  '/api/leads': [
    'stage',
    'min_score',
    'grade',
    'temperature',
    'account',
    'source',
    'campaign',
    'q',
    'site',
    'sort',
    'order',
    'limit',
    'cursor',
  ],
  '/api/leads.csv': [
    'stage',
    'min_score',
    'grade',
    'temperature',
    'account',
    'source',
    'campaign',
    'q',
    'site',
    'sort',
  ],
  '/api/leads/stream': ['since', 'stage', 'site'],
  '/api/contacts/c1/timeline': ['limit', 'cursor'],
  '/api/accounts': ['site', 'q', 'min_score', 'sort', 'order', 'limit', 'cursor'],
  '/api/accounts/acme.com': ['site'],
  '/api/reports/funnel': ['from', 'to', 'site'],
  '/api/reports/attribution': ['from', 'to', 'site'],
  '/api/reports/sources': ['from', 'to', 'site'],
  '/api/reports/pages': ['from', 'to', 'site', 'limit'],
  '/api/scoring/audit': [
    'outcome',
    'horizon_days',
    'from',
    'to',
    'ruleset',
    'target_precision',
    'capacity_per_week',
  ],
  '/api/contacts/c1/score-history': ['from', 'to', 'step', 'explain'],
};

/** Text parameters that are matched, not parsed: an injection must simply match nothing. */
const TEXT_PARAMS = ['account', 'source', 'campaign', 'q', 'site'];

describe.each(TEST_DATABASES)('SQL injection on %s', (db) => {
  let server: TestCollector;
  let before: unknown;

  const snapshot = async () => ({
    // c3 is the one contact a test moves on purpose.
    contacts: await server.services.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', '!=', 'c3')
      .orderBy('id')
      .execute(),
    events: await server.services.db
      .selectFrom('events')
      .select(['id', 'contact_id'])
      .orderBy('id')
      .execute(),
  });

  beforeAll(async () => {
    server = await startCollector({ db });
    const now = Date.now();
    await insertContact(server.services.db, { id: 'c1', email: 'a@acme.com', domain: 'acme.com', score: 60 });
    await insertContact(server.services.db, {
      id: 'c2',
      email: 'b@globex.io',
      domain: 'globex.io',
      score: 10,
    });
    await insertContact(server.services.db, { id: 'c3', email: 'c@globex.io', domain: 'globex.io' });
    await insertEvent(server.services.db, { contact_id: 'c1', ts: now - 1000, path: '/', session: 's1' });
    before = await snapshot();
  });
  afterAll(() => server?.close());

  async function get(path: string) {
    const abort = new AbortController();
    const res = await server.api(path, { signal: abort.signal });
    const stream = res.headers.get('content-type')?.includes('event-stream');
    const text = stream ? '' : await res.text();
    abort.abort();
    return { status: res.status, text };
  }

  for (const [path, params] of Object.entries(QUERY_PARAMS)) {
    it.each(params)(`${path}?%s=<injection>`, async (param) => {
      for (const payload of PAYLOADS) {
        const res = await get(`${path}?${param}=${encodeURIComponent(payload)}`);
        expect([200, 400, 404], `${param}=${payload}: ${res.text}`).toContain(res.status);
        if (res.status === 200 && path === '/api/leads' && TEXT_PARAMS.includes(param)) {
          expect(JSON.parse(res.text).leads, `${param}=${payload}`).toEqual([]);
        }
        if (res.status === 200 && path === '/api/accounts' && param !== 'cursor') {
          expect(JSON.parse(res.text).accounts, `${param}=${payload}`).toEqual([]);
        }
      }
    });
  }

  it('injection inside a well-formed cursor is only ever a bound value', async () => {
    for (const payload of PAYLOADS) {
      const leads = encodeCursor({ sort: 'score:desc', value: 1000, id: payload });
      const res = await get(`/api/leads?cursor=${leads}`);
      expect(res.status).toBe(200);
      const timeline = encodeCursor({ sort: 'timeline', value: Date.now(), id: payload });
      expect((await get(`/api/contacts/c1/timeline?cursor=${timeline}`)).status).toBe(400);
    }
  });

  it('injection in path segments finds nothing', async () => {
    for (const payload of PAYLOADS) {
      const id = encodeURIComponent(payload);
      for (const path of [
        `/api/contacts/${id}`,
        `/api/contacts/${id}/timeline`,
        `/api/contacts/${id}/export`,
      ]) {
        expect((await get(path)).status, path).toBe(404);
      }
      expect((await get(`/api/accounts/${id}`)).status).toBe(404);
      const stage = await server.api(`/api/contacts/${id}/stage`, {
        method: 'POST',
        body: JSON.stringify({ stage: 'accept' }),
      });
      expect(stage.status).toBe(404);
      expect((await server.api(`/api/contacts/${id}`, { method: 'DELETE' })).status).toBe(404);
    }
  });

  it('injection in the stage-move body is refused or stored as plain text', async () => {
    for (const payload of PAYLOADS) {
      const bad = await server.api('/api/contacts/c3/stage', {
        method: 'POST',
        body: JSON.stringify({ stage: payload }),
      });
      expect(bad.status).toBe(400);
    }
    const reason = PAYLOADS.join(' | ');
    const res = await server.api('/api/contacts/c3/stage', {
      method: 'POST',
      body: JSON.stringify({ stage: 'reject', reason }),
    });
    expect(res.status).toBe(200);
    const stored = await server.services.db
      .selectFrom('transitions')
      .select('reason')
      .where('contact_id', '=', 'c3')
      .executeTakeFirstOrThrow();
    expect(stored.reason).toBe(reason);
  });

  it('leaves the database exactly as it was', async () => {
    const after = await snapshot();
    expect(after).toEqual(before);
  });
});
