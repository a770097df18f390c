/**
 * The live path and a full rescore are one computation: events posted to the real collector in a
 * random order and random batches end with exactly the scores `rescoreAll` recomputes from the
 * log. Rescoring is resumable and records a new ruleset's version on its transitions; the
 * backtest compares rulesets and writes nothing.
 */
import fc from 'fast-check';
import { nanoid } from 'nanoid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { runBacktest } from '../../collector/scoring/backtest-run';
import { parseRuleset } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';
import { RESCORE_CURSOR_KEY, rescoreAll } from '../../collector/scoring/rescore';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from '../../collector/scoring/rows';
import type { WireEvent } from '../../shared/events';
import { identifyEvent, pageView, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { type ManualClock, send, transitionsOf } from './live';

const DAY = 86_400_000;
const ORIGIN = 'https://www.example.com';

async function snapshot(collector: TestCollector) {
  return collector.services.db
    .selectFrom('contacts')
    .select([
      'id',
      'stage',
      'score',
      'fit',
      'engagement',
      'grade',
      'temperature',
      'breakdown',
      'ruleset_version',
    ])
    .orderBy('id')
    .execute();
}

/** One random journey step for an anonymous id, at a random time in the last 6 days. */
const stepArb = fc
  .record({
    anon: fc.constantFrom('a', 'b', 'c'),
    kind: fc.constantFrom('page', 'pricing', 'careers', 'download', 'chat', 'form', 'identify', 'demo'),
    session: fc.constantFrom('1', '2', '3', '4'),
    ago: fc.integer({ min: 0, max: 6 * DAY }),
  })
  .map((step) => step);

type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function wire(step: Step, run: string, now: number): WireEvent {
  const anon = `${run}-${step.anon}`;
  const extra = { ts: now - step.ago, session: `${anon}-${step.session}` };
  switch (step.kind) {
    case 'pricing':
      return pageView(anon, `${ORIGIN}/pricing`, { ...extra, props: { pricing: true } });
    case 'careers':
      return pageView(anon, `${ORIGIN}/careers/eng`, extra);
    case 'page':
      return pageView(anon, `${ORIGIN}/blog/`, extra);
    case 'download':
      return trackEvent(anon, 'download', {}, extra);
    case 'chat':
      return trackEvent(anon, 'chat', { action: 'message' }, extra);
    case 'form':
      return trackEvent(anon, 'form_submit', { form: 'newsletter' }, extra);
    case 'demo':
      return trackEvent(anon, 'demo_requested', {}, extra);
    default:
      return identifyEvent(anon, `${anon}@${run.toLowerCase()}.example.org`, { title: 'Head of Ops' }, extra);
  }
}

describe.each(TEST_DATABASES)('rescore (%s)', (db) => {
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

  it('live scoring of events arriving out of order in random batches equals a full rescore', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 25, maxLength: 25 }),
        async (steps, sizes) => {
          const run = nanoid(8).replace(/[^A-Za-z0-9]/g, 'x');
          const events = steps.map((step) => wire(step, run, clock()));
          // Arrival order is the generated order (random times); batches of random sizes.
          for (let i = 0, b = 0; i < events.length; b++) {
            const size = sizes[b % sizes.length]!;
            await send(collector, clock, events.slice(i, i + size));
            i += size;
          }
          const live = await snapshot(collector);
          const report = await rescoreAll(target(), { batchSize: 3 });
          expect(report.complete).toBe(true);
          expect(await snapshot(collector)).toEqual(live);

          // And both equal the pure core over the stored log.
          for (const contact of live) {
            const row = await collector.services.db
              .selectFrom('contacts')
              .select(['email', 'user_id', 'traits'])
              .where('id', '=', contact.id)
              .executeTakeFirstOrThrow();
            const logged = await collector.services.db
              .selectFrom('events')
              .select(SCORING_COLUMNS)
              .where('contact_id', '=', contact.id)
              .execute();
            const result = score(
              logged.map(scoringEventOf),
              profileOf(row),
              collector.config.scoring,
              clock(),
            );
            expect(contact.score).toBe(result.total);
          }
          clock.advance(1000);
        },
      ),
      { numRuns: db === 'sqlite' ? 8 : 4 },
    );
  });

  it('resumes from its cursor after a stop, and a new ruleset version moves stages', async () => {
    const { db: kdb } = collector.services;
    // A plain lead (business email: 5 points) for the new ruleset to promote.
    await send(collector, clock, [
      identifyEvent('resume-lead', 'joan@clarke-codes.com', {}, { ts: clock() }),
    ]);
    const total = Number(
      (
        await kdb
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    let batches = 0;
    const stopped = await rescoreAll(target(), { batchSize: 2, shouldStop: () => batches++ >= 2 });
    expect(stopped).toMatchObject({ complete: false, contacts: 4 });
    const cursor = await kdb
      .selectFrom('meta')
      .select('value')
      .where('key', '=', RESCORE_CURSOR_KEY)
      .executeTakeFirst();
    expect(JSON.parse(cursor!.value)).toMatchObject({ version: 1, done: 4 });

    let started: { done: number; resumed: boolean } | undefined;
    const resumed = await rescoreAll(target(), { batchSize: 2, onStart: (p) => (started = p) });
    expect(started).toEqual({ total, done: 4, resumed: true });
    expect(resumed).toMatchObject({ complete: true, resumed: true, contacts: total - 4 });
    expect(
      await kdb.selectFrom('meta').select('value').where('key', '=', RESCORE_CURSOR_KEY).executeTakeFirst(),
    ).toBeUndefined();

    // Ruleset v2 with a low threshold: every identified lead with 5+ points becomes an MQL.
    const v2 = parseRuleset({ version: 2, mql_threshold: 5 });
    const leadsBefore = await kdb
      .selectFrom('contacts')
      .select(['id', 'score'])
      .where('stage', '=', 'lead')
      .execute();
    expect(leadsBefore.length).toBeGreaterThan(0);
    await rescoreAll({ ...target(), config: { ...collector.config, scoring: v2 } });
    for (const lead of leadsBefore.filter((l) => l.score >= 5)) {
      const last = (await transitionsOf(collector, lead.id)).at(-1)!;
      expect([last.to_stage, last.ruleset_version]).toEqual(['mql', 2]);
    }
    const versions = await kdb.selectFrom('rulesets').select('version').orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('the backtest compares two rulesets and writes nothing', async () => {
    const { db: kdb } = collector.services;
    const before = await snapshot(collector);
    const transitions = await kdb
      .selectFrom('transitions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const current = collector.config.scoring;
    const strict = parseRuleset({ version: 9, mql_threshold: 10_000, hand_raise: [] });
    const report = await runBacktest(kdb, current, strict, { batchSize: 2 });
    expect(report.contacts).toBe(before.length);
    expect(report.draft.mqls).toBe(0);
    expect(report.draft.mql_to_sql_rate).toBeNull();
    expect(report.current.version).toBe(1);
    expect(report.draft.version).toBe(9);
    // Every contact the current rules make an MQL or SQL automatically falls back to lead.
    for (const change of report.changes) expect(change.to).toBe('lead');
    expect(report.changes.length).toBe(Object.entries(report.moves).reduce((sum, [, n]) => sum + n, 0));
    if (report.current.mqls > 0) expect(report.changes.length).toBeGreaterThan(0);
    expect(await snapshot(collector)).toEqual(before);
    expect(
      await kdb
        .selectFrom('transitions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual(transitions);
  });
});
