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
  /** The first moment the score reached the MQL threshold while identified (null: never). */
  mql_at: number | null;
  mql: boolean;
  sql: boolean;
  stage: AutomaticStage;
}

interface Point {
  ts: number;
  points: number;
  halfLifeMs: number | null;
}

export function peakScore(events: readonly ScoringEvent[], profile: ScoringProfile, rules: Ruleset): number {
  return peakOf(events, profile, rules).peak;
}

function peakOf(
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
): { peak: number; mqlAt: number | null } {
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
  let peak = identifiedAt === Number.NEGATIVE_INFINITY ? fit : Number.NEGATIVE_INFINITY;
  let mqlAt: number | null = null;
  const check = (t: number) => {
    const total = totalAt(t);
    peak = Math.max(peak, total);
    if (mqlAt === null && Math.round(total * 10) / 10 >= rules.mql_threshold) mqlAt = t;
  };
  // The moment of identification is itself a moment the live path scored at.
  let identifyChecked = identifiedAt === Number.NEGATIVE_INFINITY;
  let i = 0;
  while (i < points.length) {
    const t = points[i]!.ts;
    if (!identifyChecked && identifiedAt < t) {
      check(identifiedAt);
      identifyChecked = true;
    }
    totalAt(t);
    for (; i < points.length && points[i]!.ts === t; i++) {
      const p = points[i]!;
      const sum = sums.get(p.halfLifeMs) ?? { value: 0, at: t };
      sum.value += p.points;
      sums.set(p.halfLifeMs, sum);
    }
    if (t >= identifiedAt) {
      check(t);
      identifyChecked = true;
    }
  }
  if (!identifyChecked) check(identifiedAt);
  return { peak: Math.round(peak * 10) / 10, mqlAt };
}

export function replay(events: readonly ScoringEvent[], profile: ScoringProfile, rules: Ruleset): Replay {
  const humans = events.filter((e) => !e.bot);
  const { peak, mqlAt } = peakOf(humans, profile, rules);
  if (!isIdentified(profile)) return { peak, mql_at: null, mql: false, sql: false, stage: 'visitor' };
  const raised = humans.some(
    (e) => e.type === 'track' && e.name !== null && rules.hand_raise.includes(e.name),
  );
  const traits = effectiveProfile(profile, [...humans].sort(byTime)).traits;
  const bant =
    rules.bant.length > 0 && rules.bant.every((name) => traitValue(rules, traits, name) !== undefined);
  const mql = peak >= rules.mql_threshold;
  const sql = raised || bant;
  return { peak, mql_at: mql ? mqlAt : null, mql, sql, stage: sql ? 'sql' : mql ? 'mql' : 'lead' };
}
