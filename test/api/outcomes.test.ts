/**
 * `POST /api/outcomes`: deal results from a CRM, as a JSON array or NDJSON. Each row is answered
 * on its own (bad rows refused one by one, the rest stored), a re-import is idempotent on
 * external_id, forward outcomes move the stage with a transition by actor `import` at the
 * outcome's own time, and the contact shows its outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OUTCOME_ROWS, MAX_OUTCOMES_BODY } from '../../collector/api/outcomes-body';
import { startCollector, TEST_DATABASES, TEST_READ_KEY, type TestCollector } from '../helpers/server';
import { insertContact } from './seed';

interface Report {
  stored: number;
  duplicates: number;
  errors: number;
  results: {
    index: number;
    status: string;
    id?: number;
    contact_id?: string;
    transition?: { from: string; to: string } | null;
    error?: { field: string; message: string };
  }[];
}

const DAY = 86_400_000;

describe.each(TEST_DATABASES)('outcomes import on %s', (db) => {
  let server: TestCollector;
  const now = Date.now();
  // Within the last day: an older move is history and calls nobody (outbox/enqueue.ts).
  const wonAt = now - 2 * 3_600_000;

  beforeAll(async () => {
    server = await startCollector({
      db,
      workers: false,
      file: {
        webhooks: [
          {
            url: 'http://127.0.0.1:9/hook',
            secret: 'whsec_test_0123456789abcdef',
            events: ['contact.stage_changed'],
            allow_private: true,
          },
        ],
      },
    });
    await insertContact(server.services.db, { id: 'c_ada', email: 'ada@acme.com', stage: 'mql' });
    await insertContact(server.services.db, { id: 'c_bob', email: 'bob@beta.io', stage: 'customer' });
    await insertContact(server.services.db, { id: 'c_cy', email: 'cy@gamma.io', stage: 'lead' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = async (body: string, key?: string) => {
    const response = await server.api('/api/outcomes', { method: 'POST', body, ...(key ? { key } : {}) });
    return {
      status: response.status,
      json: (await response.json()) as Report & { error?: { code: string } },
    };
  };

  it('stores good rows, refuses bad ones one by one, and moves won contacts to customer at their own time', async () => {
    const rows = [
      {
        contact: 'ADA@acme.com',
        outcome: 'won',
        at: new Date(wonAt).toISOString(),
        amount: 1200,
        currency: 'eur',
        external_id: 'deal-1',
      },
      { contact: 'nobody@nowhere.io', outcome: 'won', at: wonAt, external_id: 'deal-2' },
      { contact: 'c_cy', outcome: 'won', at: 'yesterday' },
      { contact: 'c_cy', outcome: 'promoted', at: wonAt },
      { contact: 'c_bob', outcome: 'sql', at: wonAt, external_id: 'deal-3' },
      { contact: 'c_cy', outcome: 'lost', at: now + 30 * DAY },
      { contact: 'c_cy', outcome: 'lost', at: wonAt, colour: 'red' },
      'not an object',
    ];
    const { status, json } = await post(JSON.stringify(rows));
    expect(status).toBe(200);
    expect(json.stored).toBe(2);
    expect(json.errors).toBe(6);
    expect(json.results.map((r) => r.status)).toEqual([
      'stored',
      'error',
      'error',
      'error',
      'stored',
      'error',
      'error',
      'error',
    ]);
    expect(json.results[0]!.transition).toEqual({ from: 'mql', to: 'customer' });
    expect(json.results[1]!.error!.field).toBe('contact');
    expect(json.results[2]!.error!.field).toBe('at');
    expect(json.results[3]!.error!.field).toBe('outcome');
    // A customer's later SQL outcome is stored but moves nothing backwards.
    expect(json.results[4]!.transition).toBeNull();
    expect(json.results[5]!.error).toEqual({ field: 'at', message: 'is in the future' });
    expect(json.results[6]!.error!.field).toBe('colour');
    expect(json.results[7]!.error!.field).toBe('row');

    const contact = (await (await server.api('/api/contacts/c_ada')).json()) as {
      stage: string;
      stage_changed_at: number;
      outcomes: { outcome: string; at: number; amount: number; currency: string; external_id: string }[];
      stage_history: { from: string; to: string; actor: string; at: number }[];
    };
    expect(contact.stage).toBe('customer');
    expect(contact.stage_changed_at).toBe(wonAt);
    expect(contact.outcomes).toEqual([
      expect.objectContaining({
        outcome: 'won',
        at: wonAt,
        amount: 1200,
        currency: 'EUR',
        external_id: 'deal-1',
      }),
    ]);
    const queued = await server.services.db
      .selectFrom('outbox')
      .select(['event', 'payload'])
      .where('contact_id', '=', 'c_ada')
      .execute();
    expect(queued.map((q) => q.event)).toEqual(['contact.stage_changed']);
    expect(queued[0]!.payload).toContain('"customer"');
    expect(contact.stage_history.at(-1)).toMatchObject({
      from: 'mql',
      to: 'customer',
      actor: 'import',
      at: wonAt,
    });
  });

  it('is idempotent on external_id: sending the same rows again stores nothing and moves nothing', async () => {
    const body = [
      JSON.stringify({ contact: 'ada@acme.com', outcome: 'won', at: wonAt, external_id: 'deal-1' }),
      '',
      JSON.stringify({ contact: 'c_bob', outcome: 'sql', at: wonAt, external_id: 'deal-3' }),
      '{broken',
    ].join('\n');
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json).toMatchObject({ stored: 0, duplicates: 2, errors: 1 });
    expect(json.results[2]!.error!.message).toMatch(/not valid JSON/);
    const contact = (await (await server.api('/api/contacts/c_ada')).json()) as {
      outcomes: unknown[];
      stage_history: { actor: string }[];
    };
    expect(contact.outcomes).toHaveLength(1);
    expect(contact.stage_history.filter((t) => t.actor === 'import')).toHaveLength(1);
  });

  it('counts a repeated external_id inside one request once', async () => {
    const row = { contact: 'c_cy', outcome: 'opportunity', at: wonAt, external_id: 'deal-9' };
    const { json } = await post(JSON.stringify([row, row]));
    expect(json.results.map((r) => r.status)).toEqual(['stored', 'duplicate']);
    expect(json.results[0]!.transition).toEqual({ from: 'lead', to: 'opportunity' });
  });

  it('needs a full key, a body within the limit, and a bounded number of rows', async () => {
    expect((await post('[]', TEST_READ_KEY)).status).toBe(403);
    expect((await post('')).status).toBe(400);
    expect((await post('[{"contact":')).status).toBe(400);
    const big = await post(`[${'"x",'.repeat(MAX_OUTCOMES_BODY / 4)}"x"]`);
    expect(big.status).toBe(413);
    const many = await post(
      `[${Array(MAX_OUTCOME_ROWS + 1)
        .fill('1')
        .join(',')}]`,
    );
    expect(many.status).toBe(413);
  });
});
