/**
 * Scores over time and across people, against a real collector: the decay refresh halves
 * engagement after 30 days, "as of D" answers from the log (under an older ruleset too), and the
 * accounts the API serves agree with a brute-force rollup of the contacts and follow the ruleset's
 * account_threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccountSummary, accountSummary } from '../../collector/api/account-score';
import { manualClock } from '../../collector/clock';
import { parseRuleset } from '../../collector/scoring/core/rules';
import { scoreContactAsOf } from '../../collector/scoring/history';
import { refreshStaleScores, startDecayRefresh } from '../../collector/scoring/refresh';
import { rescoreAll } from '../../collector/scoring/rescore';
import { identifyEvent, pageView, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { contactByEmail, type ManualClock, send } from './live';

const DAY = 86_400_000;

describe.each(TEST_DATABASES)('decay refresh and as-of (%s)', (db) => {
  let collector: TestCollector;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = manualClock(Date.UTC(2025, 5, 15, 12));
    collector = await startCollector({ db, clock, workers: false });
  });
  afterAll(async () => {
    await collector?.close();
  });

  const target = () => ({
    db: collector.services.db,
    config: collector.config,
    clock,
  });

  it('after 30 days the refresh halves engagement and cools the temperature', async () => {
    const t0 = clock();
    await send(collector, clock, [
      identifyEvent('fading', 'mary@babbage-engines.com', {}, { ts: t0, session: 'f' }),
      trackEvent('fading', 'download', {}, { ts: t0, session: 'f' }),
    ]);
    const fresh = await contactByEmail(collector, 'mary@babbage-engines.com');
    expect([fresh.fit, fresh.engagement, fresh.score, fresh.temperature]).toEqual([5, 10, 15, 'warm']);
    // An anonymous visitor with the same activity: re-scored on its next visit, not by the refresh.
    await send(collector, clock, [trackEvent('passing-by', 'download', {}, { ts: t0, session: 'p' })]);
    const visitorScoredAt = async () =>
      (
        await collector.services.db
          .selectFrom('contacts')
          .innerJoin('anon_ids', 'anon_ids.contact_id', 'contacts.id')
          .select(['contacts.scored_at', 'contacts.stage'])
          .where('anon_ids.anon', '=', 'passing-by')
          .executeTakeFirstOrThrow()
      ).scored_at;
    expect(await visitorScoredAt()).toBe(t0);

    clock.advance(30 * DAY);
    // Not stale yet by a 60-day standard: nothing happens.
    expect(await refreshStaleScores(target(), { staleAfterMs: 60 * DAY })).toBe(0);
    const refreshed = await refreshStaleScores(target(), { staleAfterMs: DAY });
    expect(refreshed).toBeGreaterThanOrEqual(1);
    const faded = await contactByEmail(collector, 'mary@babbage-engines.com');
    expect([faded.fit, faded.engagement, faded.score, faded.temperature]).toEqual([5, 5, 10, 'cold']);
    expect(faded.scored_at).toBe(clock());
    expect(await visitorScoredAt()).toBe(t0);
    // Just refreshed: a second pass has nothing to do.
    expect(await refreshStaleScores(target(), { staleAfterMs: DAY })).toBe(0);
  });

  it('the periodic worker runs passes and stops cleanly', async () => {
    clock.advance(2 * DAY);
    const worker = startDecayRefresh(target(), { intervalMs: 20, staleAfterMs: DAY });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker.stop();
    const contact = await contactByEmail(collector, 'mary@babbage-engines.com');
    expect(contact.scored_at).toBe(clock());
    expect(contact.engagement).toBe(4.8); // 10 × 0.5^(32/30) = 4.77
  });

  it('answers "what was the score on date D", under the current or a stored older ruleset', async () => {
    const now = clock();
    const anon = 'historian';
    const download = trackEvent(anon, 'download', {}, { ts: now - 6 * DAY, session: 'h1' });
    await send(collector, clock, [download]);
    await send(collector, clock, [
      pageView(anon, 'https://www.example.com/pricing', {
        ts: now - 2 * DAY,
        session: 'h2',
        props: { pricing: true },
      }),
      identifyEvent(anon, 'edsger@dijkstra-paths.nl', {}, { ts: now - DAY, session: 'h3' }),
    ]);
    const contact = await contactByEmail(collector, 'edsger@dijkstra-paths.nl');
    const current = collector.config.scoring;

    const then = await scoreContactAsOf(collector.services.db, contact.id, { asOf: now - 4 * DAY, current });
    // Four days ago: only the download, and not yet identified (no business-mail fit).
    expect(then.breakdown.map((l) => l.rule)).toEqual(['download']);
    expect(then.total).toBe(Math.round(10 * 0.5 ** (2 / 30) * 10) / 10);

    const today = await scoreContactAsOf(collector.services.db, contact.id, { asOf: now, current });
    expect(today.total).toBe(contact.score);

    // Rescore under v2 (downloads worth 50), then ask about today under v1 again.
    const v2 = parseRuleset({
      version: 2,
      engagement: [{ id: 'download', match: { name: 'download' }, points: 50 }],
    });
    await rescoreAll({ ...target(), config: { ...collector.config, scoring: v2 } });
    const underV2 = await contactByEmail(collector, 'edsger@dijkstra-paths.nl');
    expect(underV2.ruleset_version).toBe(2);
    const v1Again = await scoreContactAsOf(collector.services.db, contact.id, {
      asOf: now,
      current: v2,
      version: 1,
    });
    expect(v1Again.total).toBe(contact.score);
    expect(v1Again.ruleset_version).toBe(1);
    await expect(
      scoreContactAsOf(collector.services.db, contact.id, { asOf: now, current: v2, version: 7 }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe.each(TEST_DATABASES)('account rollup (%s)', (db) => {
  let collector: TestCollector;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = manualClock(Date.UTC(2025, 5, 15, 12));
    collector = await startCollector({ db, clock, workers: false });
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('groups contacts by company domain, sums their scores and leaves free mail out', async () => {
    const now = clock();
    const people: [string, string, string[]][] = [
      ['a1', 'ana@globex.com', ['download', 'form_submit']],
      ['a2', 'bo@globex.com', ['download']],
      ['a3', 'cy@globex.com', ['demo_requested']],
      ['b1', 'di@initech.io', ['form_submit']],
      ['c1', 'ed@gmail.com', ['download', 'download', 'download']],
      ['d1', 'flo@hotmail.com', []],
    ];
    for (const [anon, email, names] of people) {
      await send(collector, clock, [
        identifyEvent(anon, email, {}, { ts: now - 1000, session: anon }),
        ...names.map((name) => trackEvent(anon, name, {}, { ts: now - 500, session: anon })),
      ]);
    }
    const rules = collector.config.scoring;
    const members = await collector.services.db
      .selectFrom('contacts')
      .select(['id', 'domain', 'stage', 'score', 'last_seen'])
      .execute();
    const list = async (query = '') => {
      const res = await collector.api(`/api/accounts${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { accounts: AccountSummary[] }).accounts;
    };
    const accounts = await list();

    // Brute force over the members: the query must agree with adding them up by hand.
    const domains = [...new Set(members.flatMap((m) => (m.domain ? [m.domain] : [])))];
    expect(accounts.map((a) => a.domain).sort()).toEqual(domains.sort());
    for (const account of accounts) {
      const group = members.filter((m) => m.domain === account.domain);
      const sum = Math.round(group.reduce((total, m) => total + Number(m.score), 0) * 10) / 10;
      expect(account).toMatchObject({
        score: sum,
        contacts: group.length,
        best_score: Math.max(...group.map((m) => Number(m.score))),
        qualified_members: group.filter((m) =>
          ['mql', 'sal', 'sql', 'opportunity', 'customer'].includes(m.stage),
        ).length,
        qualified: sum >= rules.account_threshold,
        last_seen: Math.max(...group.map((m) => Number(m.last_seen))),
      });
    }

    expect(accounts.map((a) => a.domain)).toEqual(['globex.com', 'initech.io']);
    const globex = accounts[0]!;
    expect(globex).toMatchObject({
      contacts: 3,
      best_stage: 'sql',
      qualified_members: 1,
      score: 5 + 20 + 5 + 10 + 5,
    });
    expect(globex.best_score).toBe(25);
    expect(globex.qualified).toBe(false); // 45 < account_threshold 100
    expect(await accountSummary(collector.services.db, rules, undefined, 'GLOBEX.com')).toEqual(globex);
    expect((await list('?min_score=20')).map((a) => a.domain)).toEqual(['globex.com']);
    expect(await list('?site=pk_other')).toEqual([]);
    const lowBar = parseRuleset({ account_threshold: 40 });
    expect((await accountSummary(collector.services.db, lowBar, undefined, 'globex.com'))!.qualified).toBe(
      true,
    );
  });
});
