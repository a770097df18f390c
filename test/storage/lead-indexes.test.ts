/**
 * The feed's indexes (and the decay refresh's) hold identified contacts only (migration 0004), and SQLite uses a partial
 * index only when the query repeats its WHERE term. These plans fail if a feed query loses that
 * term (or binds it as a parameter): the page would then sort every contact instead of reading
 * an index range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Compilable, CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LeadPageRequest, leadsQuery } from '../../collector/api/leads-query';
import { staleContacts } from '../../collector/scoring/refresh';
import { createDatabase, type DatabaseHandle } from '../../collector/storage/database';
import { migrateToLatest } from '../../collector/storage/migrate';

const page = (filters: Partial<LeadPageRequest>): LeadPageRequest => ({
  sort: 'score',
  order: 'desc',
  limit: 50,
  ...filters,
});

describe('lead feed query plans on SQLite', () => {
  let dir: string;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadtrail-plan-'));
    handle = createDatabase(join(dir, 'plan.db'));
    await migrateToLatest(handle.db);
    // Enough rows, mostly anonymous, that the planner prefers an index to a scan.
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      id: `c${i}`,
      site: 'pk_test',
      email: i % 10 === 0 ? `p${i}@acme.com` : null,
      stage: i % 10 === 0 ? ('lead' as const) : ('visitor' as const),
      score: i % 97,
      first_seen: i,
      last_seen: i,
      stage_changed_at: i,
      scored_at: i,
      source: i % 3 === 0 ? 'linkedin' : 'google',
      campaign: `c${i % 50}`,
      created_at: i,
      updated_at: i,
      traits: '{}',
      fit: 0,
      engagement: 0,
      verified: 0,
      version: 0,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await handle.db
        .insertInto('contacts')
        .values(rows.slice(i, i + 200))
        .execute();
    }
    await sql`analyze`.execute(handle.db);
  });

  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function plan(query: Compilable): Promise<string> {
    const { sql: text, parameters } = query.compile();
    const { rows } = await handle.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
    );
    return rows.map((r) => r.detail).join('\n');
  }

  // [case, request, the index it must read, whether that index also gives the order]
  it.each([
    ['every lead by score', page({}), 'contacts_score', true],
    ['every lead by last activity', page({ sort: 'last_activity' }), 'contacts_last_seen', true],
    ['every lead by stage change', page({ sort: 'stage_changed' }), 'contacts_stage_changed', true],
    ['one stage by score', page({ stages: ['lead'] }), 'contacts_stage_score', true],
    [
      'one stage by activity',
      page({ stages: ['mql'], sort: 'last_activity' }),
      'contacts_stage_last_seen',
      true,
    ],
    // Each stage's page is an index range; only the merge of those pages sorts (a limit each).
    ['two stages, merged', page({ stages: ['lead', 'mql'] }), 'contacts_stage_score', false],
    ['a rare campaign', page({ campaign: 'c7' }), 'contacts_campaign', false],
    ['a text search', page({ q: 'acme' }), 'contacts_search', false],
  ] as const)('%s reads the partial index, never the whole table', async (_, request, index, ordered) => {
    const detail = await plan(leadsQuery(handle.db, request));
    expect(detail).toContain(`INDEX ${index}`);
    expect(detail.split('\n')).not.toContain('SCAN contacts');
    if (ordered) expect(detail).not.toContain('TEMP B-TREE');
  });

  it('the decay refresh finds stale leads through the scored_at index', async () => {
    const detail = await plan(staleContacts(handle.db, 1500, 'cold', 200));
    expect(detail).toContain('INDEX contacts_scored_at');
    expect(detail).not.toContain('TEMP B-TREE');
  });

  it('still lists anonymous visitors when asked for them by name', async () => {
    const rows = await leadsQuery(handle.db, page({ stages: ['visitor'], limit: 5 })).execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.stage === 'visitor')).toBe(true);
  });
});
