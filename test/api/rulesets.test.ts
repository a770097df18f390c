/**
 * Changing the rules through the API: drafts validated on every save, roles on every route, the
 * impact preview and "test a record", scenarios blocking a publish, publish → scores equal a full
 * rescore under the new version, rollback → breakdowns byte for byte as before, and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../collector/app';
import { manualClock } from '../../collector/clock';
import { storedBreakdown } from '../../collector/scoring/apply';
import { parseRuleset, type Ruleset } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from '../../collector/scoring/rows';
import { identifyEvent, pageView, trackEvent } from '../helpers/events';
import { ROLE_KEYS, roleKeyEntries } from '../helpers/roles';
import { startCollector, type TestCollector } from '../helpers/server';
import { type ManualClock, send } from '../scoring/live';

const NOW = Date.UTC(2025, 5, 16, 12);

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
type Json = any;

describe('changing the rules', () => {
  let collector: TestCollector;
  let clock: ManualClock;

  const call = async (method: string, path: string, body?: unknown, key = ROLE_KEYS.admin) => {
    const res = await collector.api(path, {
      method,
      key,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  const breakdowns = async () =>
    (
      await collector.services.db
        .selectFrom('contacts')
        .select(['id', 'score', 'breakdown', 'stage'])
        .orderBy('id')
        .execute()
    ).map((c) => ({ ...c }));

  /** Every contact as a full rescore under `rules` would store it. */
  async function expectedUnder(rules: Ruleset) {
    const { db } = collector.services;
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'email', 'user_id', 'traits'])
      .orderBy('id')
      .execute();
    const out: { id: string; score: number; breakdown: string }[] = [];
    for (const contact of contacts) {
      const events = (
        await db.selectFrom('events').select(SCORING_COLUMNS).where('contact_id', '=', contact.id).execute()
      ).map(scoringEventOf);
      const asOf = events.reduce((latest, e) => Math.max(latest, e.ts), clock());
      const result = score(events, profileOf(contact), rules, asOf);
      out.push({ id: contact.id, score: result.total, breakdown: storedBreakdown(result.breakdown) });
    }
    return out;
  }

  beforeAll(async () => {
    clock = manualClock(NOW);
    collector = await startCollector({
      clock,
      workers: false,
      file: {
        api_keys: roleKeyEntries(),
        webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: 'a webhook secret 123', allow_private: true }],
      },
    });
    // Three people: a pricing visitor at 5 + 3 + 10 = 18 (a lead), a downloader at 5 + 10 + 3 = 18,
    // and an anonymous visitor.
    await send(collector, clock, [
      identifyEvent('a1', 'pat@acme-corp.com', {}, { ts: NOW - 3_600_000 }),
      pageView('a1', 'http://localhost:1/pricing', { ts: NOW - 3_000_000, props: { pricing: true } }),
      identifyEvent('a2', 'dee@globex-corp.com', {}, { ts: NOW - 3_600_000 }),
      trackEvent('a2', 'download', {}, { ts: NOW - 3_000_000 }),
      pageView('a2', 'http://localhost:1/', { ts: NOW - 2_000_000 }),
      pageView('a3', 'http://localhost:1/', { ts: NOW - 2_000_000 }),
    ]);
  });
  afterAll(() => collector?.close());

  let draftId = '';
  const getDraftRow = async () => (await call('GET', `/api/rulesets/drafts/${draftId}`)).body.draft;

  it('drafts start from live; only editors and admins create or save them', async () => {
    for (const role of ['viewer', 'sales'] as const) {
      expect((await call('POST', '/api/rulesets/drafts', { name: 'x' }, ROLE_KEYS[role])).status, role).toBe(
        403,
      );
    }
    const created = await call(
      'POST',
      '/api/rulesets/drafts',
      { name: 'Pricing matters more' },
      ROLE_KEYS.editor,
    );
    expect(created.status).toBe(201);
    expect(created.body.draft).toMatchObject({
      name: 'Pricing matters more',
      base_version: 1,
      author: 'editor-key',
    });
    expect(created.body.scenarios.every((s: { passed: boolean }) => s.passed)).toBe(true);
    draftId = created.body.draft.id;
    const list = await call('GET', '/api/rulesets/drafts', undefined, ROLE_KEYS.viewer);
    expect(list.body.drafts.map((d: { id: string }) => d.id)).toEqual([draftId]);

    const fromOld = await call(
      'POST',
      '/api/rulesets/drafts',
      { name: 'from v1', from: 1 },
      ROLE_KEYS.editor,
    );
    expect(fromOld.body.draft.base_version).toBe(1);
    const imported = await call('POST', '/api/rulesets/drafts', {
      name: 'imported',
      ruleset: { mql_threshold: 70 },
    });
    expect(imported.body.draft).toMatchObject({ base_version: null, ruleset: { mql_threshold: 70 } });
    expect((await call('POST', '/api/rulesets/drafts', { name: 'x', from: 99 })).status).toBe(404);
  });

  it('every save is validated, naming the field and the rule; bodies are bounded', async () => {
    const { body: current } = await call('GET', `/api/rulesets/drafts/${draftId}`);
    const broken = structuredClone(current.draft.ruleset);
    broken.engagement[1].points = 'lots';
    const refused = await call(
      'PUT',
      `/api/rulesets/drafts/${draftId}`,
      { ruleset: broken },
      ROLE_KEYS.editor,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      field: 'ruleset.engagement.1.points',
      message: expect.stringContaining('ruleset.engagement.1.points: rule "pricing_view"'),
    });
    expect(
      (await call('PUT', `/api/rulesets/drafts/${draftId}`, '{"ruleset": ', ROLE_KEYS.editor)).status,
    ).toBe(400);
    const huge = JSON.stringify({ ruleset: { ...current.draft.ruleset, padding: 'x'.repeat(300_000) } });
    // In process: over a socket the server answers 413 and closes before the client finishes sending.
    const tooBig = await createApp(collector.services).request(`/api/rulesets/drafts/${draftId}`, {
      method: 'PUT',
      body: huge,
      headers: { authorization: `Bearer ${ROLE_KEYS.editor}`, 'content-type': 'application/json' },
    });
    expect(tooBig.status).toBe(413);
    expect((await getDraftRow()).ruleset.engagement[1].points).toBe(10);
    expect(
      (await call('PUT', `/api/rulesets/drafts/${draftId}`, { ruleset: broken }, ROLE_KEYS.sales)).status,
    ).toBe(403);

    const raised = structuredClone(current.draft.ruleset);
    raised.engagement[1].points = 45; // pricing_view: 10 → 45 makes the pricing visitor an MQL
    const saved = await call('PUT', `/api/rulesets/drafts/${draftId}`, { ruleset: raised }, ROLE_KEYS.editor);
    expect(saved.status).toBe(200);
    expect(saved.body.draft.ruleset.engagement[1].points).toBe(45);
  });

  it('previews the impact: who changes stage, distributions and MQLs per week under each', async () => {
    expect((await call('POST', `/api/rulesets/drafts/${draftId}/preview`, {}, ROLE_KEYS.viewer)).status).toBe(
      403,
    );
    const { status, body } = await call(
      'POST',
      `/api/rulesets/drafts/${draftId}/preview`,
      {},
      ROLE_KEYS.editor,
    );
    expect(status).toBe(200);
    const pat = await collector.services.db
      .selectFrom('contacts')
      .select('id')
      .where('email', '=', 'pat@acme-corp.com')
      .executeTakeFirstOrThrow();
    expect(body.contacts).toBe(3);
    expect(body.changes).toEqual([expect.objectContaining({ id: pat.id, from: 'lead', to: 'mql' })]);
    expect(body.moves).toEqual({ 'lead → mql': 1 });
    expect([body.current.mqls, body.draft.mqls]).toEqual([0, 1]);
    // Two identified contacts, both in 10–19 now; under the draft one moves to 50–59.
    const band = (name: string) => body.distribution.bands.indexOf(name);
    expect(body.distribution.current[band('10–19')]).toBe(2);
    expect(body.distribution.draft[band('10–19')]).toBe(1);
    expect(body.distribution.draft[band('50–59')]).toBe(1);
    expect(body.mqls_per_week).toEqual([{ week: '2025-06-16', current: 0, draft: 1 }]);

    const record = await call(
      'GET',
      `/api/rulesets/drafts/${draftId}/contacts/${pat.id}`,
      undefined,
      ROLE_KEYS.viewer,
    );
    expect(record.status).toBe(200);
    const line = record.body.lines.find((l: { rule: string }) => l.rule === 'pricing_view');
    expect(line).toMatchObject({ live: { points: 10 }, draft: { points: 45 }, delta: expect.any(Number) });
    expect(record.body.draft.total - record.body.live.total).toBeCloseTo(
      record.body.lines.reduce((sum: number, l: { delta: number }) => sum + l.delta, 0),
      5,
    );
  });

  it('a failing scenario blocks publishing and is named', async () => {
    const { body: current } = await call('GET', `/api/rulesets/drafts/${draftId}`);
    const careers = structuredClone(current.draft.ruleset);
    careers.engagement.find((r: { id: string }) => r.id === 'careers_page').points = 40;
    const other = await call(
      'POST',
      '/api/rulesets/drafts',
      { name: 'careers', ruleset: careers },
      ROLE_KEYS.editor,
    );
    const refused = await call('POST', `/api/rulesets/drafts/${other.body.draft.id}/publish`, {
      note: 'try',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      'scenario "The job seeker on /careers does not become an MQL"',
    );
    expect((await call('GET', '/api/rulesets/live')).body.version).toBe(1);
  });

  it('publish: admins only, a note is required, scores then equal a full rescore under the new version', async () => {
    const before = await breakdowns();
    expect(
      (await call('POST', `/api/rulesets/drafts/${draftId}/publish`, { note: 'x' }, ROLE_KEYS.editor)).status,
    ).toBe(403);
    expect((await call('POST', `/api/rulesets/drafts/${draftId}/publish`, {})).status).toBe(400);
    const published = await call('POST', `/api/rulesets/drafts/${draftId}/publish`, {
      note: 'pricing intent counts more',
    });
    expect(published.status).toBe(201);
    expect(published.body.entry).toMatchObject({
      action: 'publish',
      version: 2,
      from_version: 1,
      actor: 'admin-key',
    });
    await collector.services.rescorer.idle();

    const live = parseRuleset((await call('GET', '/api/rulesets/live')).body.ruleset);
    expect(live.version).toBe(2);
    const after = await breakdowns();
    const expected = await expectedUnder(live);
    expect(after.map(({ id, score, breakdown }) => ({ id, score, breakdown }))).toEqual(expected);
    expect(after).not.toEqual(before);

    // The move the publish caused: recorded once, with the new version and the publisher; one webhook.
    const moves = await collector.services.db
      .selectFrom('transitions')
      .select(['contact_id', 'to_stage', 'ruleset_version', 'actor'])
      .where('to_stage', '=', 'mql')
      .execute();
    expect(moves).toEqual([expect.objectContaining({ ruleset_version: 2, actor: 'admin-key' })]);
    const outbox = await collector.services.db.selectFrom('outbox').select(['event', 'contact_id']).execute();
    expect(outbox.filter((o) => o.event === 'contact.mql')).toHaveLength(1);

    const again = await call('POST', `/api/rulesets/drafts/${draftId}/publish`, { note: 'again' });
    expect(again.status).toBe(409);
  });

  it('rollback publishes the old version again; breakdowns return byte for byte; all is in the log', async () => {
    // The state under v1, recomputed now (same clock), is what a rollback must restore.
    const v1 = parseRuleset((await call('GET', '/api/rulesets/1')).body.ruleset);
    const underV1 = await expectedUnder(v1);
    const queuedBefore = (await collector.services.db.selectFrom('outbox').select('id').execute()).length;
    expect((await call('POST', '/api/rulesets/1/publish', { note: 'back' }, ROLE_KEYS.editor)).status).toBe(
      403,
    );
    const rolled = await call('POST', '/api/rulesets/1/publish', { note: 'too many MQLs: back to v1' });
    expect(rolled.status).toBe(201);
    expect(rolled.body.entry).toMatchObject({ action: 'rollback', version: 3, from_version: 2 });
    await collector.services.rescorer.idle();
    const after = await breakdowns();
    expect(after.map(({ id, score, breakdown }) => ({ id, score, breakdown }))).toEqual(underV1);
    // Stages only move forward: the MQL stays an MQL, and no new webhook is queued.
    expect(after.filter((c) => c.stage === 'mql')).toHaveLength(1);
    const outbox = await collector.services.db.selectFrom('outbox').select('id').execute();
    expect(outbox).toHaveLength(queuedBefore);

    const log = await call('GET', '/api/rulesets/log', undefined, ROLE_KEYS.viewer);
    expect(
      log.body.entries.map((e: Json) => [e.action, e.version, e.actor, e.note, e.rescore.status]),
    ).toEqual([
      ['rollback', 3, 'admin-key', 'too many MQLs: back to v1', 'done'],
      ['publish', 2, 'admin-key', 'pricing intent counts more', 'done'],
      ['seed', 1, 'config', 'from the config file', 'none'],
    ]);
    expect(log.body.entries[1].summary).toMatchObject({
      live_version: 1,
      changed: 1,
      moves: { 'lead → mql': 1 },
    });
    expect(log.body.entries[0].rescore).toMatchObject({ done: 3, total: 3 });
    const versions = await call('GET', '/api/rulesets');
    expect(versions.body.versions.map((v: Json) => [v.version, v.parent, v.live])).toEqual([
      [3, 2, true],
      [2, 1, false],
      [1, null, false],
    ]);
  });
});
