/**
 * Properties of the pure core over random event logs: arrival order never matters (so scoring
 * after each batch as it arrives ends where one full rescore does), the breakdown always sums to
 * the score, "as of D" equals scoring only what had happened by D, and the backtest's one-pass
 * replay finds the same peak as scoring at every event time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoringEvent } from '../../collector/scoring/core/events';
import { peakScore } from '../../collector/scoring/core/replay';
import { DEFAULT_RULESET } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';
import { DAY, HOUR, NOW, profile } from './fixtures';

const eventArb = fc
  .record({
    kind: fc.constantFrom('page', 'pricing', 'careers', 'download', 'chat', 'form', 'identify'),
    action: fc.constantFrom('open', 'message', 'email'),
    session: fc.constantFrom('s1', 's2', 's3', 's4', 's5', 's6', null),
    ts: fc.integer({ min: NOW - 40 * DAY, max: NOW }),
    bot: fc.boolean().map((b) => b && Math.random() < 0.2),
  })
  .map(
    ({ kind, action, session, ts, bot }): Omit<ScoringEvent, 'id'> => ({
      type:
        kind === 'identify' ? 'identify' : ['page', 'pricing', 'careers'].includes(kind) ? 'page' : 'track',
      name:
        kind === 'download' ? 'download' : kind === 'chat' ? 'chat' : kind === 'form' ? 'form_submit' : null,
      ts,
      session,
      path: kind === 'careers' ? '/careers' : kind === 'pricing' ? '/pricing' : '/',
      props: kind === 'pricing' ? { pricing: true } : kind === 'chat' ? { action } : null,
      traits: kind === 'identify' ? { title: 'VP Sales' } : null,
      user: kind === 'identify' ? 'ada@acme.com' : null,
      bot,
    }),
  );

const logArb = fc
  .array(eventArb, { minLength: 0, maxLength: 40 })
  .map((events) => events.map((e, i) => ({ ...e, id: `ev${String(i).padStart(3, '0')}` }) as ScoringEvent));

const who = profile('ada@acme.com', { company_size: 300 });

describe('scoring properties', () => {
  it('arrival order never changes the result (incremental == full)', () => {
    fc.assert(
      fc.property(logArb, fc.infiniteStream(fc.nat()), (events, randoms) => {
        const shuffled = [...events]
          .map((e) => ({ e, k: randoms.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map(({ e }) => e);
        expect(score(shuffled, who, DEFAULT_RULESET, NOW)).toEqual(score(events, who, DEFAULT_RULESET, NOW));
      }),
      { numRuns: 200 },
    );
  });

  it('the breakdown sums exactly to the score shown', () => {
    fc.assert(
      fc.property(logArb, (events) => {
        const result = score(events, who, DEFAULT_RULESET, NOW);
        const tenths = (kind: string) =>
          result.breakdown
            .filter((l) => l.kind === kind)
            .reduce((sum, l) => sum + Math.round(l.decayed * 10), 0);
        expect(Math.round(result.fit * 10)).toBe(tenths('fit'));
        expect(Math.round(result.engagement * 10)).toBe(tenths('engagement'));
        expect(Math.round(result.total * 10)).toBe(tenths('fit') + tenths('engagement'));
        for (const line of result.breakdown) expect(line.count).toBe(line.event_ids.length);
      }),
      { numRuns: 200 },
    );
  });

  it('as of D equals scoring only the events up to D', () => {
    fc.assert(
      fc.property(logArb, fc.integer({ min: NOW - 40 * DAY, max: NOW }), (events, asOf) => {
        expect(score(events, who, DEFAULT_RULESET, asOf)).toEqual(
          score(
            events.filter((e) => e.ts <= asOf),
            who,
            DEFAULT_RULESET,
            asOf,
          ),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('the one-pass replay peak equals the best score at any event time', () => {
    fc.assert(
      fc.property(logArb, (events) => {
        const anonymous = profile(null);
        const humans = events.filter((e) => !e.bot);
        const identifies = humans.filter((e) => e.type === 'identify').map((e) => e.ts);
        const identifiedAt = identifies.length > 0 ? Math.min(...identifies) : Number.NEGATIVE_INFINITY;
        const at = (t: number) => score(humans, anonymous, DEFAULT_RULESET, t).total;
        // Candidates: every event time from identification on, and identification itself (or,
        // identified from the start, the moment before any event: the fit alone).
        const brute = Math.max(
          Number.isFinite(identifiedAt) ? at(identifiedAt) : score([], anonymous, DEFAULT_RULESET, NOW).fit,
          ...humans.filter((e) => e.ts >= identifiedAt).map((e) => at(e.ts)),
        );
        // Lines are rounded to tenths in score(); the replay rounds only its total.
        expect(Math.abs(peakScore(events, anonymous, DEFAULT_RULESET) - brute)).toBeLessThanOrEqual(0.1 * 12);
      }),
      { numRuns: 150 },
    );
  });

  it('scores are finite and bounded by the caps', () => {
    const pages = Array.from({ length: 500 }, (_, i) => ({
      id: `p${i}`,
      type: 'page',
      name: null,
      ts: NOW - (i % 24) * HOUR,
      session: 's',
      path: '/',
      props: null,
      traits: null,
      user: null,
      bot: false,
    }));
    const result = score(pages, who, DEFAULT_RULESET, NOW);
    expect(result.breakdown.find((l) => l.rule === 'page_view')!.points).toBeLessThanOrEqual(30);
  });
});
