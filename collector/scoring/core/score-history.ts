/**
 * A contact's score over time, replayed from its log: the score as of each step (events up to
 * then, decayed to then, the profile as identify events had built it by then), and what changed
 * between two moments — new events by rule, decay of what was already earned, and fit.
 */
import { profileAsOf, type ScoringEvent, type ScoringProfile } from './events';
import type { Ruleset } from './rules';
import { type ScoreResult, score } from './score';

export interface HistoryPoint {
  at: number;
  score: number;
  fit: number;
  engagement: number;
}

export const scoreAsOf = (
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  at: number,
): ScoreResult => score(events, profileAsOf(profile, events, at), rules, at);

export function scoreSeries(
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  moments: readonly number[],
): HistoryPoint[] {
  return moments.map((at) => {
    const r = scoreAsOf(events, profile, rules, at);
    return { at, score: r.total, fit: r.fit, engagement: r.engagement };
  });
}

export interface RuleChange {
  rule: string;
  label: string;
  /** Events in (from, to] this rule awarded points for. */
  events: number;
  /** Their points as worth at `to`. */
  points: number;
}

export interface ScoreExplanation {
  from: number;
  to: number;
  score_from: number;
  score_to: number;
  change: number;
  new_events: RuleChange[];
  /** What the points already earned by `from` lost (or, for penalties, regained) by `to`. */
  decay: number;
  fit: { change: number; added: string[]; removed: string[] };
}

const tenths = (n: number) => Math.round(n * 10) / 10;

export function explainChange(
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  from: number,
  to: number,
): ScoreExplanation {
  const before = scoreAsOf(events, profile, rules, from);
  const after = scoreAsOf(events, profile, rules, to);
  // The events of `from`, valued at `to`: awards never depend on later events, so the rest of
  // the engagement at `to` is what the new events earned.
  const old = score(
    events.filter((e) => e.ts <= from),
    profileAsOf(profile, events, to),
    rules,
    to,
  );
  const oldLine = new Map(old.breakdown.filter((l) => l.kind === 'engagement').map((l) => [l.rule, l]));
  const newEvents: RuleChange[] = [];
  for (const line of after.breakdown) {
    if (line.kind !== 'engagement') continue;
    const was = oldLine.get(line.rule);
    const count = line.count - (was?.count ?? 0);
    if (count <= 0) continue;
    newEvents.push({
      rule: line.rule,
      label: line.label,
      events: count,
      points: tenths(line.decayed - (was?.decayed ?? 0)),
    });
  }
  const fitBefore = new Set(before.breakdown.filter((l) => l.kind === 'fit').map((l) => l.rule));
  const fitAfter = new Set(after.breakdown.filter((l) => l.kind === 'fit').map((l) => l.rule));
  return {
    from,
    to,
    score_from: before.total,
    score_to: after.total,
    change: tenths(after.total - before.total),
    new_events: newEvents,
    decay: tenths(old.engagement - before.engagement),
    fit: {
      change: tenths(after.fit - before.fit),
      added: [...fitAfter].filter((r) => !fitBefore.has(r)),
      removed: [...fitBefore].filter((r) => !fitAfter.has(r)),
    },
  };
}
