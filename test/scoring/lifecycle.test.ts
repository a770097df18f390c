/**
 * Automatic lifecycle moves, pure: forward only, several in one update, hand-raise and BANT make
 * an SQL, a recycled lead must earn its way back, disqualified stays put.
 */
import { describe, expect, it } from 'vitest';
import type { ScoringEvent, ScoringProfile } from '../../collector/scoring/core/events';
import {
  automaticTransitions,
  type LifecycleContact,
  nextTransition,
} from '../../collector/scoring/core/lifecycle';
import { DEFAULT_RULESET, parseRuleset } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';
import type { Stage } from '../../shared/stages';
import { ANON, DAY, HOUR, identify, NOW, page, pricing, profile, track } from './fixtures';

const contact = (stage: Stage, who: ScoringProfile, stageChangedAt = NOW - 30 * DAY): LifecycleContact => ({
  stage,
  stage_changed_at: stageChangedAt,
  profile: who,
});

const movesFor = (c: LifecycleContact, events: ScoringEvent[], rules = DEFAULT_RULESET) =>
  automaticTransitions(c, score(events, c.profile, rules, NOW), events, rules);

/** The seed scenario: 5 pages, the whitepaper, pricing twice in a week, the newsletter form. */
function seedJourney(): ScoringEvent[] {
  const day1 = NOW - 4 * DAY;
  const day2 = NOW - DAY;
  return [
    ...['/', '/features', '/blog/', '/blog/post-1', '/whitepaper'].map((path, i) =>
      page(day1 + i * 60_000, path, { session: 'a' }),
    ),
    track(day1 + 6 * 60_000, 'download', { href: '/whitepaper.pdf' }, { session: 'a' }),
    pricing(day1 + 7 * 60_000, { session: 'a' }),
    pricing(day2, { session: 'b' }),
    track(day2 + 60_000, 'form_submit', { form: 'newsletter' }, { session: 'b' }),
    identify(day2 + 60_001, 'ada@acme.com', {}, { session: 'b' }),
  ];
}

describe('automatic transitions', () => {
  it('an anonymous visitor stays a visitor whatever its score', () => {
    expect(movesFor(contact('visitor', ANON), seedJourney())).toEqual([]);
  });

  it('the seed scenario goes visitor → lead → mql in one update, each move explained', () => {
    const events = seedJourney();
    const who = profile('ada@acme.com');
    const result = score(events, who, DEFAULT_RULESET, NOW);
    expect(result.total).toBeGreaterThanOrEqual(50);
    const moves = automaticTransitions(contact('visitor', who), result, events, DEFAULT_RULESET);
    expect(moves.map((m) => [m.from, m.to])).toEqual([
      ['visitor', 'lead'],
      ['lead', 'mql'],
    ]);
    expect(moves[0]!.reason).toBe('identified as ada@acme.com');
    expect(moves[0]!.event_ids).toEqual([events.at(-1)!.id]);
    expect(moves[1]!.reason).toMatch(
      /^score \d+(\.\d)? ≥ MQL threshold 50 \(fit 5 \+ engagement [\d.]+\); top: /,
    );
    // The pricing visits, the download and the form are among the causes; the identify is not.
    for (const cause of [events[5]!, events[6]!, events[7]!, events[8]!])
      expect(moves[1]!.event_ids).toContain(cause.id);
    expect(moves[1]!.event_ids).not.toContain(events.at(-1)!.id);
    expect(moves.every((m) => m.ruleset_version === 1)).toBe(true);
  });

  it('a lead just under the threshold stays a lead', () => {
    const rules = parseRuleset({ mql_threshold: 500 });
    expect(movesFor(contact('lead', profile('ada@acme.com')), seedJourney(), rules)).toEqual([]);
  });

  it('a demo request makes an SQL (straight from lead when the score is low)', () => {
    const demo = track(NOW - HOUR, 'demo_requested');
    const moves = movesFor(contact('lead', profile('ada@acme.com')), [demo]);
    expect(moves).toEqual([
      {
        from: 'lead',
        to: 'sql',
        reason: 'hand-raise: demo_requested',
        event_ids: [demo.id],
        ruleset_version: 1,
      },
    ]);
  });

  it('an MQL, and an accepted lead (sal), become SQL on a hand-raise', () => {
    for (const stage of ['mql', 'sal'] as const) {
      const moves = movesFor(contact(stage, profile('ada@acme.com')), [track(NOW, 'meeting_booked')]);
      expect(moves.map((m) => m.to)).toEqual(['sql']);
    }
  });

  it('all four BANT traits make an SQL; three do not', () => {
    const three = identify(NOW - DAY, 'ada@acme.com', { budget: '50k', authority: 'yes', need: 'crm' });
    const who3 = profile('ada@acme.com', { budget: '50k', authority: 'yes', need: 'crm' });
    expect(movesFor(contact('lead', who3), [three])).toEqual([]);
    const four = identify(NOW, 'ada@acme.com', { timeline: 'Q3' });
    const who4 = profile('ada@acme.com', { budget: '50k', authority: 'yes', need: 'crm', timeline: 'Q3' });
    const moves = movesFor(contact('lead', who4), [three, four]);
    expect(moves.map((m) => [m.to, m.reason])).toEqual([
      ['sql', 'BANT complete: budget, authority, need, timeline'],
    ]);
    expect(moves[0]!.event_ids).toEqual([four.id, three.id]);
  });

  it('never moves backward: an SQL with a low score stays an SQL, an opportunity ignores a hand-raise', () => {
    expect(movesFor(contact('sql', profile('ada@acme.com')), [])).toEqual([]);
    expect(movesFor(contact('opportunity', profile('ada@acme.com')), [track(NOW, 'demo_requested')])).toEqual(
      [],
    );
    expect(movesFor(contact('customer', profile('ada@acme.com')), seedJourney())).toEqual([]);
  });

  it('disqualified is final for automatic moves', () => {
    const events = [...seedJourney(), track(NOW, 'demo_requested')];
    expect(movesFor(contact('disqualified', profile('ada@acme.com')), events)).toEqual([]);
  });

  it('a recycled lead is not re-qualified by the history it was rejected with', () => {
    const events = [...seedJourney(), track(NOW - 2 * DAY, 'demo_requested')];
    const recycled = contact(
      'recycled',
      profile('ada@acme.com', { budget: 1, authority: 1, need: 1, timeline: 1 }),
      NOW - HOUR,
    );
    expect(score(events, recycled.profile, DEFAULT_RULESET, NOW).total).toBeGreaterThanOrEqual(50);
    expect(movesFor(recycled, events)).toEqual([]);
  });

  it('a recycled lead becomes an MQL again on new engagement, and an SQL on a new hand-raise', () => {
    const rejectedAt = NOW - 5 * DAY;
    const recycled = contact('recycled', profile('ada@acme.com'), rejectedAt);
    const fresh = seedJourney(); // all after the rejection
    expect(movesFor(recycled, fresh).map((m) => m.to)).toEqual(['mql']);
    expect(movesFor(recycled, fresh)[0]!.reason).toContain('since recycled');
    const demo = track(NOW, 'contact_sales');
    expect(movesFor(recycled, [demo]).map((m) => m.to)).toEqual(['sql']);
  });

  it('nextTransition gives one move at a time', () => {
    const who = profile('ada@acme.com');
    const events = seedJourney();
    const result = score(events, who, DEFAULT_RULESET, NOW);
    expect(nextTransition(contact('visitor', who), result, events, DEFAULT_RULESET)?.to).toBe('lead');
    expect(nextTransition(contact('lead', who), result, events, DEFAULT_RULESET)?.to).toBe('mql');
    expect(nextTransition(contact('mql', who), result, events, DEFAULT_RULESET)).toBeNull();
  });

  it('bot hand-raises do not make an SQL', () => {
    const moves = movesFor(contact('lead', profile('ada@acme.com')), [
      track(NOW, 'demo_requested', null, { bot: true }),
    ]);
    expect(moves).toEqual([]);
  });
});
