/**
 * The lead feed against a real server and database: every filter and sort checked against the
 * same rows filtered and sorted in plain code, keyset pages joined back into the full list, and
 * pages stable while new people and events keep arriving through /collect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewContactRow } from '../../collector/storage/schema';
import { batchOf, identifyEvent, pageView, postBatch } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { insertContact } from './seed';

type Lead = NewContactRow & { id: string };

const STAGES = ['visitor', 'lead', 'mql', 'sal', 'sql', 'recycled'] as const;
const GRADES = ['A', 'B', 'C', 'D', null] as const;
const TEMPS = ['hot', 'warm', 'cold', null] as const;
const SOURCES = ['linkedin', 'google', '(direct)', null] as const;
const CAMPAIGNS = ['spring', 'webinar_q1', null] as const;
const T0 = Date.UTC(2025, 0, 1);

/** 40 contacts covering every filter value, with tied scores so the id tie-break is exercised. */
function seedRows(): Partial<NewContactRow>[] {
  return Array.from({ length: 40 }, (_, i) => ({
    id: `c${String(i).padStart(3, '0')}`,
    site: i % 10 === 9 ? 'pk_other' : 'pk_test',
    email:
      i % 7 === 0 ? null : `person${i}@${i % 3 === 0 ? 'acme.com' : i % 3 === 1 ? 'globex.io' : 'gmail.com'}`,
    name: i === 5 ? 'Ann 100% Sure' : i === 8 ? 'Bob_Under' : `Person ${i}`,
    company: i % 3 === 0 ? 'Acme Corp' : i % 3 === 1 ? 'Globex' : null,
    domain: i % 7 === 0 ? null : i % 3 === 0 ? 'acme.com' : i % 3 === 1 ? 'globex.io' : null,
    stage: STAGES[i % STAGES.length],
    score: (i * 37) % 23, // values repeat: ties on score
    grade: GRADES[i % GRADES.length],
    temperature: TEMPS[i % TEMPS.length],
    source: SOURCES[i % SOURCES.length],
    campaign: CAMPAIGNS[i % CAMPAIGNS.length],
    first_seen: T0 + i * 1000,
    last_seen: T0 + ((i * 13) % 40) * 60_000,
    stage_changed_at: T0 + ((i * 7) % 11) * 3_600_000,
  }));
}

const sortColumn = { score: 'score', last_activity: 'last_seen', stage_changed: 'stage_changed_at' } as const;

function expected(rows: Lead[], filter: (r: Lead) => boolean, sort: keyof typeof sortColumn, order = 'desc') {
  const col = sortColumn[sort];
  const sign = order === 'desc' ? -1 : 1;
  return rows
    .filter(filter)
    .sort((a, b) => sign * (Number(a[col]) - Number(b[col]) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((r) => r.id);
}

async function allPages(server: TestCollector, query: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const sep = query ? '&' : '';
    const url = `/api/leads?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await server.api(url);
    expect(res.status, url).toBe(200);
    const body = (await res.json()) as { leads: { id: string }[]; next_cursor: string | null };
    expect(body.leads.length).toBeLessThanOrEqual(limit);
    ids.push(...body.leads.map((l) => l.id));
    cursor = body.next_cursor;
    if (!cursor) return ids;
  }
  throw new Error('pagination did not end');
}

describe.each(TEST_DATABASES)('GET /api/leads on %s', (db) => {
  let server: TestCollector;
  let rows: Lead[];
  const identified = (r: Lead) => r.stage !== 'visitor';

  beforeAll(async () => {
    server = await startCollector({ db });
    rows = [];
    for (const fields of seedRows()) rows.push(await insertContact(server.services.db, fields));
  });
  afterAll(() => server?.close());

  it.each(Object.keys(sortColumn) as (keyof typeof sortColumn)[])(
    'sorts by %s, desc and asc',
    async (sort) => {
      for (const order of ['desc', 'asc']) {
        const res = await server.api(`/api/leads?sort=${sort}&order=${order}&limit=500`);
        const body = (await res.json()) as { leads: { id: string }[]; next_cursor: string | null };
        expect(body.leads.map((l) => l.id)).toEqual(expected(rows, identified, sort, order));
        expect(body.next_cursor).toBeNull();
      }
    },
  );

  const filters: [string, (r: Lead) => boolean][] = [
    ['stage=mql', (r) => r.stage === 'mql'],
    ['stage=mql,sql', (r) => r.stage === 'mql' || r.stage === 'sql'],
    ['stage=visitor', (r) => r.stage === 'visitor'],
    ['min_score=12', (r) => identified(r) && Number(r.score) >= 12],
    ['min_score=12.5', (r) => identified(r) && Number(r.score) >= 12.5],
    ['grade=A', (r) => identified(r) && r.grade === 'A'],
    ['grade=a,b', (r) => identified(r) && (r.grade === 'A' || r.grade === 'B')],
    ['temperature=hot', (r) => identified(r) && r.temperature === 'hot'],
    ['temperature=warm,cold', (r) => identified(r) && (r.temperature === 'warm' || r.temperature === 'cold')],
    ['account=ACME.com', (r) => identified(r) && r.domain === 'acme.com'],
    ['source=linkedin', (r) => identified(r) && r.source === 'linkedin'],
    ['source=(direct)', (r) => identified(r) && r.source === '(direct)'],
    ['campaign=webinar_q1', (r) => identified(r) && r.campaign === 'webinar_q1'],
    ['site=pk_other', (r) => identified(r) && r.site === 'pk_other'],
    ['q=GLOBEX', (r) => identified(r) && /globex/i.test(`${r.email} ${r.name} ${r.company}`)],
    ['q=person1', (r) => identified(r) && /person1/i.test(`${r.email} ${r.name} ${r.company}`)],
    // LIKE wildcards in the search text match themselves only.
    ['q=100%25', (r) => identified(r) && (r.name ?? '').includes('100%')],
    ['q=b_u', (r) => identified(r) && /b_u/i.test(`${r.email} ${r.name} ${r.company}`)],
    ['q=%25', (r) => identified(r) && `${r.email}${r.name}${r.company}`.includes('%')],
    ['q=_', (r) => identified(r) && `${r.email ?? ''}${r.name ?? ''}${r.company ?? ''}`.includes('_')],
    [
      'stage=lead,mql,sql,recycled&min_score=5&grade=A,B,C&account=globex.io',
      (r) =>
        ['lead', 'mql', 'sql', 'recycled'].includes(r.stage!) &&
        Number(r.score) >= 5 &&
        ['A', 'B', 'C'].includes(r.grade ?? '') &&
        r.domain === 'globex.io',
    ],
  ];

  it.each(filters)('filters %s', async (query, filter) => {
    for (const sort of Object.keys(sortColumn) as (keyof typeof sortColumn)[]) {
      const want = expected(rows, filter, sort);
      expect(want.length, `${query} should match something`).toBeGreaterThan(0);
      const res = await server.api(`/api/leads?${query}&sort=${sort}&limit=500`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { leads: { id: string }[] };
      expect(body.leads.map((l) => l.id)).toEqual(want);
    }
  });

  it('returns the lead fields a feed shows', async () => {
    const body = (await (await server.api('/api/leads?stage=mql&limit=1')).json()) as {
      leads: Record<string, unknown>[];
    };
    expect(Object.keys(body.leads[0]!)).toEqual(
      expect.arrayContaining(['id', 'email', 'name', 'company', 'stage', 'score', 'grade', 'temperature']),
    );
  });

  it('pages with a keyset cursor: every row once, in order, for each sort and a filter', async () => {
    for (const sort of Object.keys(sortColumn) as (keyof typeof sortColumn)[]) {
      for (const order of ['desc', 'asc']) {
        expect(await allPages(server, `sort=${sort}&order=${order}`, 7)).toEqual(
          expected(rows, identified, sort, order),
        );
      }
    }
    expect(await allPages(server, 'min_score=8', 4)).toEqual(
      expected(rows, (r) => identified(r) && Number(r.score) >= 8, 'score'),
    );
  });

  it.each([
    ['stage=nope', 'stage'],
    ['min_score=abc', 'min_score'],
    ['grade=E', 'grade'],
    ['temperature=lukewarm', 'temperature'],
    ['sort=email', 'sort'],
    ['order=up', 'order'],
    ['limit=0', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    ['minscore=3', 'minscore'],
    ['q=', 'q'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await server.api(`/api/leads?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { field: string; message: string } };
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(field);
  });

  it('refuses a cursor made for another sort', async () => {
    const first = (await (await server.api('/api/leads?sort=score&limit=2')).json()) as {
      next_cursor: string;
    };
    const res = await server.api(`/api/leads?sort=last_activity&limit=2&cursor=${first.next_cursor}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('cursor');
  });
  it('defaults to 50 rows a page and refuses more than 500', async () => {
    for (let i = 0; i < 60; i++) {
      await insertContact(server.services.db, { id: `bulk${i}`, site: 'pk_bulk', score: i });
    }
    const body = (await (await server.api('/api/leads?site=pk_bulk')).json()) as {
      leads: { id: string }[];
      next_cursor: string | null;
    };
    expect(body.leads).toHaveLength(50);
    expect(body.leads[0]!.id).toBe('bulk59');
    expect(body.next_cursor).not.toBeNull();
    const res = await server.api('/api/leads?limit=501');
    expect(res.status).toBe(400);
  });
});

describe.each(TEST_DATABASES)('lead feed pagination while events arrive on %s', (db) => {
  let server: TestCollector;
  beforeAll(async () => {
    server = await startCollector({ db });
  });
  afterAll(() => server?.close());

  const identify = (anon: string, email: string) =>
    postBatch(server.url, batchOf([pageView(anon, 'https://site.test/'), identifyEvent(anon, email)]));

  it.each(['last_activity', 'score', 'stage_changed'])(
    'sort=%s: no repeats and no gaps while new leads and events arrive',
    async (sort) => {
      const tag = `${sort.replace('_', '')}`;
      const originals: string[] = [];
      for (let i = 0; i < 24; i++) {
        expect((await identify(`${tag}-anon-${i}`, `${tag}${i}@corp${i}.com`)).status).toBe(202);
      }
      const start = (await (await server.api(`/api/leads?q=${tag}&limit=500`)).json()) as {
        leads: { id: string; email: string }[];
      };
      originals.push(...start.leads.map((l) => l.id));
      expect(originals).toHaveLength(24);

      const seen: string[] = [];
      const anonOf = new Map(start.leads.map((l) => [l.id, '']));
      for (let i = 0; i < 24; i++) {
        const found = start.leads.find((l) => l.email === `${tag}${i}@corp${i}.com`)!;
        anonOf.set(found.id, `${tag}-anon-${i}`);
      }
      let cursor: string | null = null;
      let round = 0;
      do {
        const url = `/api/leads?q=${tag}&sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
        const body = (await (await server.api(url)).json()) as {
          leads: { id: string }[];
          next_cursor: string | null;
        };
        seen.push(...body.leads.map((l) => l.id));
        cursor = body.next_cursor;
        // Between pages: a brand-new lead, and fresh activity (a pricing visit, more points)
        // from someone already listed.
        round++;
        expect((await identify(`${tag}-late-${round}`, `${tag}late${round}@new${round}.com`)).status).toBe(
          202,
        );
        const again = anonOf.get(seen[round % seen.length]!);
        if (again) {
          const visit = pageView(again, 'https://site.test/pricing', { props: { pricing: true } });
          expect((await postBatch(server.url, batchOf([visit]))).status).toBe(202);
        }
      } while (cursor);

      expect(new Set(seen).size, 'a lead was returned twice').toBe(seen.length);
      for (const id of originals) expect(seen, 'a lead present from the start was skipped').toContain(id);
    },
  );
});
