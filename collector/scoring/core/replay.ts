/**
 * The automatic lifecycle a ruleset would have produced for one contact, replayed from its log
 * in one pass (for the backtest). Each event's raw points are fixed by what came before it (caps
 * and windows look backwards only), so the score at any moment is the fit plus every earlier
 * award decayed to that moment; keeping one decaying sum per half-life gives it in O(events).
 *
 * A contact "would have been an MQL" if, at some event time at or after it was identified, its
 * score reached the threshold — which is exactly when live scoring (run on every event) would
 * have moved it. Fit is the current profile's throughout.
 */
import { compileRuleset, traitValue } from './compile';
import { evaluateRule } from './engagement';
import { byTime, effectiveProfile, isIdentified, type ScoringEvent, type ScoringProfile } from './events';
import type { Ruleset } from './rules';
import { score } from './score';
import { deriveVisits } from './visits';

export type AutomaticStage = 'visitor' | 'lead' | 'mql' | 'sql';

export interface Replay {
  /** The highest score reached while identified (or the fit alone when nothing scored). */
  peak: number;
  mql: boolean;
  sql: boolean;
  stage: AutomaticStage;
}

interface Point {
  ts: number;
  points: number;
  halfLifeMs: number | null;
}

/**
 * Calls `at(t, score)` at every moment live scoring would have scored this contact while
 * identified (each award's time from identification on, and the identification itself), in
 * time order; `at` returns true to stop early.
 */
export function scoreMoments(
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  at: (t: number, score: number) => boolean,
): void {
  const humans = events.filter((e) => !e.bot).sort(byTime);
  const last = humans.at(-1)?.ts ?? 0;
  const fit = score([], effectiveProfile(profile, humans), rules, last).fit;
  const visits = deriveVisits(humans);
  const points: Point[] = [];
  for (const rule of compileRuleset(rules).engagement) {
    for (const award of evaluateRule(rule, humans, visits, last).awards) {
      points.push({ ts: award.event.ts, points: award.points, halfLifeMs: rule.halfLifeMs });
    }
  }
  points.sort((a, b) => a.ts - b.ts);
  const identifiedAt = humans.find((e) => e.type === 'identify' && e.user)?.ts ?? Number.NEGATIVE_INFINITY;

  const sums = new Map<number | null, { value: number; at: number }>();
  const totalAt = (t: number) => {
    let total = fit;
    for (const [halfLife, sum] of sums) {
      if (halfLife !== null) {
        sum.value *= 0.5 ** ((t - sum.at) / halfLife);
        sum.at = t;
      }
      total += sum.value;
    }
    return total;
  };
  // Identified from the start (no identify in the log): the fit alone is a moment too.
  if (identifiedAt === Number.NEGATIVE_INFINITY && at(humans[0]?.ts ?? 0, fit)) return;
  // The moment of identification is itself a moment the live path scored at.
  let identifyChecked = identifiedAt === Number.NEGATIVE_INFINITY;
  let i = 0;
  while (i < points.length) {
    const t = points[i]!.ts;
    if (!identifyChecked && identifiedAt < t) {
      identifyChecked = true;
      if (at(identifiedAt, totalAt(identifiedAt))) return;
    }
    totalAt(t);
    for (; i < points.length && points[i]!.ts === t; i++) {
      const p = points[i]!;
      const sum = sums.get(p.halfLifeMs) ?? { value: 0, at: t };
      sum.value += p.points;
      sums.set(p.halfLifeMs, sum);
    }
    if (t >= identifiedAt) {
      identifyChecked = true;
      if (at(t, totalAt(t))) return;
    }
  }
  if (!identifyChecked) at(identifiedAt, totalAt(identifiedAt));
}

export function peakScore(events: readonly ScoringEvent[], profile: ScoringProfile, rules: Ruleset): number {
  let peak = Number.NEGATIVE_INFINITY;
  scoreMoments(events, profile, rules, (_t, total) => {
    peak = Math.max(peak, total);
    return false;
  });
  return Math.round(peak * 10) / 10;
}

/**
 * When the contact would have become an MQL under `rules`: the first moment its score, rounded
 * as the peak is, reached the threshold while identified; null if it never did.
 */
export function mqlMoment(
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
): number | null {
  if (!isIdentified(profile)) return null;
  let moment: number | null = null;
  scoreMoments(events, profile, rules, (t, total) => {
    if (Math.round(total * 10) / 10 < rules.mql_threshold) return false;
    moment = t;
    return true;
  });
  return moment;
}

export function replay(events: readonly ScoringEvent[], profile: ScoringProfile, rules: Ruleset): Replay {
  const humans = events.filter((e) => !e.bot);
  const peak = peakScore(humans, profile, rules);
  if (!isIdentified(profile)) return { peak, mql: false, sql: false, stage: 'visitor' };
  const raised = humans.some(
    (e) => e.type === 'track' && e.name !== null && rules.hand_raise.includes(e.name),
  );
  const traits = effectiveProfile(profile, [...humans].sort(byTime)).traits;
  const bant =
    rules.bant.length > 0 && rules.bant.every((name) => traitValue(rules, traits, name) !== undefined);
  const mql = peak >= rules.mql_threshold;
  const sql = raised || bant;
  return { peak, mql, sql, stage: sql ? 'sql' : mql ? 'mql' : 'lead' };
}
