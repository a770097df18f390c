/**
 * When did an automatic move happen? Normally now: the event that caused it has just arrived. But
 * imported history (a server key, `npm run import`) can make a contact an SQL because of a demo
 * request sixty days ago; that move happened sixty days ago. Pure: (moves, events, rules, now) →
 * each move's time and whether it is in the past.
 *
 * A move is *past* when its cause is older than PAST_MOVE_MS when it is recorded. Live traffic never
 * is (the script drops queued events after 12 h); a past move carries its cause's time and fires no
 * webhook, since nobody should be called about a hand-raise from last quarter as if it were new.
 */
import { byTime, type ScoringEvent, type ScoringProfile } from './events';
import type { AutoTransition } from './lifecycle';
import type { Ruleset } from './rules';
import { score } from './score';

export const PAST_MOVE_MS = 24 * 60 * 60 * 1000;
/** The MQL crossing is found by re-scoring at each event time; beyond this many, the newest cause is used. */
const MAX_CROSSING_SCAN = 2000;

export interface DatedMove {
  move: AutoTransition;
  at: number;
  past: boolean;
}

/** The first moment the score reached the threshold, at or after `from`. */
function mqlCrossing(
  events: ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  from: number,
  fallback: number,
): number {
  const times = [...new Set(events.map((e) => e.ts).filter((ts) => ts >= from))];
  if (times.length > MAX_CROSSING_SCAN) return fallback;
  for (const t of times) {
    if (
      score(
        events.filter((e) => e.ts <= t),
        profile,
        rules,
        t,
      ).total >= rules.mql_threshold
    )
      return t;
  }
  return fallback;
}

/** The time of the event that completed each move's condition. */
function causeTime(
  move: AutoTransition,
  human: ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  since: number,
  earliest: number,
  now: number,
): number {
  const ids = new Set(move.event_ids);
  const causes = human.filter((e) => ids.has(e.id));
  const newestCause = causes.length > 0 ? Math.max(...causes.map((e) => e.ts)) : now;
  if (move.to === 'lead') {
    // Named by an identify, or by a Segment userId on any message.
    const named = human.find((e) => e.user);
    return named?.ts ?? newestCause;
  }
  if (move.to === 'sql' && move.reason.startsWith('hand-raise')) {
    const handRaise = new Set(rules.hand_raise);
    const first = human.find((e) => e.ts > since && e.type === 'track' && !!e.name && handRaise.has(e.name));
    return Math.max(first?.ts ?? newestCause, earliest);
  }
  if (move.to === 'mql') {
    const window = human.filter((e) => e.ts > since);
    return mqlCrossing(window, profile, rules, earliest, newestCause);
  }
  return newestCause;
}

/** Each move with its time (never before the previous move's, never after now) and whether it is past. */
export function dateMoves(
  moves: AutoTransition[],
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  now: number,
  since: number = Number.NEGATIVE_INFINITY,
): DatedMove[] {
  if (moves.length === 0) return [];
  const human = events.filter((e) => !e.bot && e.ts <= now).sort(byTime);
  let previous = Number.NEGATIVE_INFINITY;
  return moves.map((move) => {
    const cause = Math.min(
      now,
      Math.max(previous, causeTime(move, human, profile, rules, since, previous, now)),
    );
    previous = cause;
    const past = now - cause > PAST_MOVE_MS;
    return { move, at: past ? cause : now, past };
  });
}
