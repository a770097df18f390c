/**
 * When automatic moves happened (core/move-time.ts, pure): the lead at the first naming event,
 * the SQL at the first hand-raise, the MQL at the first moment the score reached the threshold —
 * checked against a brute-force scan of the score hour by hour — and only moves whose cause is
 * more than a day old are past (dated at their cause); the rest are dated now.
 */
import { describe, expect, it } from 'vitest';
import type { ScoringEvent, ScoringProfile } from '../../collector/scoring/core/events';
import { automaticTransitions } from '../../collector/scoring/core/lifecycle';
import { dateMoves, PAST_MOVE_MS } from '../../collector/scoring/core/move-time';
import { DEFAULT_RULESET } from '../../collector/scoring/core/rules';
import { score } from '../../collector/scoring/core/score';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 30, 12);
const rules = DEFAULT_RULESET;
const profile: ScoringProfile = { email: 'ada@acme.io', user_id: null, traits: { title: 'CTO' } };

let seq = 0;
const event = (ts: number, type: string, extra: Partial<ScoringEvent> = {}): ScoringEvent => ({
  id: `e${String(seq++).padStart(4, '0')}`,
  type,
  name: null,
  ts,
  session: `s${Math.floor(ts / DAY)}`,
  path: '/',
  props: null,
  traits: null,
  user: null,
  bot: false,
  ...extra,
});
const pricing = (ts: number) => event(ts, 'page', { path: '/pricing', props: { pricing: true } });
const identify = (ts: number) => event(ts, 'identify', { user: 'ada@acme.io', traits: { title: 'CTO' } });
const handRaise = (ts: number) => event(ts, 'track', { name: 'demo_requested' });

function movesOf(events: ScoringEvent[], now = NOW) {
  const result = score(events, profile, rules, now);
  const moves = automaticTransitions(
    { stage: 'visitor', stage_changed_at: 0, profile },
    result,
    events,
    rules,
  );
  return dateMoves(moves, events, profile, rules, now);
}

describe('dating automatic moves', () => {
  it('dates a past lead and SQL at their causes, in order, and marks them past', () => {
    const t0 = NOW - 60 * DAY;
    const events = [pricing(t0), identify(t0 + HOUR), handRaise(t0 + DAY), handRaise(t0 + 2 * DAY)];
    const dated = movesOf(events);
    expect(dated.map((d) => [d.move.to, d.at, d.past])).toEqual([
      ['lead', t0 + HOUR, true],
      ['sql', t0 + DAY, true],
    ]);
  });

  it('dates moves now when their cause is within the last day', () => {
    const recent = NOW - PAST_MOVE_MS + HOUR;
    const dated = movesOf([identify(recent), handRaise(NOW - HOUR)]);
    expect(dated.map((d) => [d.move.to, d.at, d.past])).toEqual([
      ['lead', NOW, false],
      ['sql', NOW, false],
    ]);
  });

  it('never dates a later move before an earlier one', () => {
    // The hand-raise came before the person was named: the SQL cannot precede the lead.
    const t0 = NOW - 40 * DAY;
    const dated = movesOf([handRaise(t0), identify(t0 + 5 * DAY)]);
    expect(dated.map((d) => [d.move.to, d.at])).toEqual([
      ['lead', t0 + 5 * DAY],
      ['sql', t0 + 5 * DAY],
    ]);
  });

  it('finds the MQL crossing that an hour-by-hour brute force finds', () => {
    const t0 = NOW - 50 * DAY;
    // Named first, then pricing visits spread over days until the score crosses the threshold.
    const events = [identify(t0)];
    for (let day = 1; day <= 12; day++) events.push(pricing(t0 + day * DAY + 3 * HOUR));
    const dated = movesOf(events);
    const mql = dated.find((d) => d.move.to === 'mql');
    expect(mql).toBeDefined();
    expect(mql!.past).toBe(true);
    const reached = (t: number) =>
      score(
        events.filter((e) => e.ts <= t),
        profile,
        rules,
        t,
      ).total >= rules.mql_threshold;
    // Brute force: the first whole hour at which the score has reached the threshold.
    let firstHour = t0;
    while (!reached(firstHour)) firstHour += HOUR;
    expect(reached(mql!.at)).toBe(true);
    expect(mql!.at).toBeLessThanOrEqual(firstHour);
    expect(firstHour - mql!.at).toBeLessThan(HOUR);
    // …and the crossing is an event's time: scores change only when something happens.
    expect(events.some((e) => e.ts === mql!.at)).toBe(true);
  });
});
