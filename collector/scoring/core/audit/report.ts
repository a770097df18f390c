/**
 * The audit: examples from every contact (examples.ts) folded into the report the API, the CLI
 * and the dashboard show. Contacts are added in a fixed order (the shell walks them by id) and
 * every number is rounded to fixed decimals, so the same data gives byte-identical JSON.
 */
import { compileRuleset } from '../compile';
import type { Ruleset } from '../rules';
import { type AuditContact, contactExamples } from './examples';
import { candidateMatch, coveredByRules } from './features';
import { LiftSums } from './lift-sums';
import type { AuditOutcome } from './outcome';
import {
  auc,
  aucInterval,
  averagePrecision,
  type ClusterSums,
  clusteredRatio,
  descendingOrder,
  round,
} from './stats';

/** A rule or candidate needs this many examples on each side (fired, not fired) for a verdict. */
export const MIN_SUPPORT = 30;
/** Candidates also need this many positives among the examples that saw them. */
export const MIN_CANDIDATE_POSITIVES = 5;
export const MAX_CANDIDATES = 25;
export const MAX_THRESHOLDS = 60;

export type Verdict = 'predictive' | 'noise' | 'negative' | 'dead' | 'too_rare';

export interface LiftStats {
  fired: number;
  fired_positives: number;
  rate_fired: number | null;
  rate_not_fired: number | null;
  lift: number | null;
  lift_ci: [number, number] | null;
  verdict: Verdict;
}

export interface RuleAudit extends LiftStats {
  id: string;
  label: string;
  kind: 'engagement' | 'fit';
  points: number;
}

export interface CandidateAudit extends LiftStats {
  id: string;
  kind: 'event' | 'path';
  label: string;
  match: Record<string, unknown>;
}

export interface ThresholdRow {
  score: number;
  precision: number | null;
  recall: number | null;
  leads_per_week: number;
}

export interface Recommended extends ThresholdRow {
  basis: 'target_precision' | 'capacity_per_week' | 'target_precision+capacity_per_week' | 'best_f1';
  /** leads_per_week here minus mqls_per_week at the current threshold. */
  change_in_mqls_per_week: number;
}

export interface DecileRow {
  decile: number;
  min: number;
  max: number;
  examples: number;
  positives: number;
  rate: number;
  lift: number | null;
}

export interface AuditReport {
  outcome: AuditOutcome;
  horizon_days: number;
  from: number;
  to: number;
  ruleset_version: number;
  cutoffs: number;
  contacts: number;
  examples: number;
  positives: number;
  base_rate: number | null;
  auc: number | null;
  auc_ci: [number, number] | null;
  auc_method: 'hanley-mcneil';
  pr_auc: number | null;
  mql_threshold: number;
  precision: number | null;
  recall: number | null;
  mqls_per_week: number;
  thresholds: ThresholdRow[];
  recommended_threshold: Recommended | null;
  deciles: DecileRow[];
  rules: RuleAudit[];
  candidates: CandidateAudit[];
}

export interface AuditOptions {
  outcome: AuditOutcome;
  horizonDays: number;
  from: number;
  to: number;
  cutoffs: readonly number[];
  targetPrecision?: number;
  capacityPerWeek?: number;
  /** Keep each example's fired rules (for learning). */
  keepFeatures?: boolean;
  candidates?: boolean;
}

/** A growable typed array. */
class Column<T extends Float64Array | Uint8Array> {
  length = 0;
  constructor(public data: T) {}
  push(value: number) {
    if (this.length === this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export interface AuditExamples {
  scores: Float64Array;
  positive: Uint8Array;
  /** examples × rules, row-major: 1 where the rule had fired by the cutoff. */
  features: Uint8Array | null;
  featureCount: number;
  cutoffIndex: Float64Array;
}

function liftStats(sums: ClusterSums): LiftStats {
  const { n1: firedN, y1: firedPos, n0: notN, y0: notPos } = sums;
  const ratio = clusteredRatio(sums);
  const stats: LiftStats = {
    fired: firedN,
    fired_positives: firedPos,
    rate_fired: firedN > 0 ? round(firedPos / firedN) : null,
    rate_not_fired: notN > 0 ? round(notPos / notN) : null,
    lift: ratio ? round(ratio.ratio, 3) : null,
    lift_ci: ratio ? [round(ratio.ci[0], 3), round(ratio.ci[1], 3)] : null,
    verdict: 'dead',
  };
  if (firedN === 0) stats.verdict = 'dead';
  else if (firedN < MIN_SUPPORT || notN < MIN_SUPPORT || !ratio) stats.verdict = 'too_rare';
  else if (ratio.ci[0] > 1) stats.verdict = 'predictive';
  else if (ratio.ci[1] < 1) stats.verdict = 'negative';
  else stats.verdict = 'noise';
  return stats;
}

/** How many values in an ascending array are ≥ t. */
function countAtLeast(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

export function createAudit(rules: Ruleset, options: AuditOptions) {
  const compiled = compileRuleset(rules);
  const ruleCount = compiled.engagement.length + compiled.fit.length;
  const scores = new Column(new Float64Array(1024));
  const positive = new Column(new Uint8Array(1024));
  /** min(score, score at the previous cutoff): "already above t a week earlier" is this ≥ t. */
  const stayed = new Column(new Float64Array(1024));
  const cutoffIndex = new Column(new Float64Array(1024));
  const features = options.keepFeatures ? new Column(new Uint8Array(1024 * Math.max(1, ruleCount))) : null;
  // Features: the rules first, then candidate keys as they are met.
  const lift = new LiftSums();
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const intern = (key: string) => {
    let index = keyIndex.get(key);
    if (index === undefined) {
      index = ruleCount + keys.length;
      keys.push(key);
      keyIndex.set(key, index);
    }
    return index;
  };
  let contacts = 0;
  const horizonMs = options.horizonDays * 86_400_000;
  const sink = {
    example(
      cutoff: number,
      value: number,
      previous: number | null,
      isPositive: boolean,
      fired: Uint8Array,
      seen: ReadonlySet<number>,
    ) {
      scores.push(value);
      positive.push(isPositive ? 1 : 0);
      stayed.push(previous === null ? Number.NEGATIVE_INFINITY : Math.min(value, previous));
      cutoffIndex.push(cutoff);
      lift.example(isPositive);
      for (let r = 0; r < ruleCount; r++) if (fired[r] !== 0) lift.fired(r, isPositive);
      if (features) for (let r = 0; r < ruleCount; r++) features.push(fired[r]!);
      for (const k of seen) lift.fired(k, isPositive);
    },
  };

  return {
    add(contact: AuditContact): void {
      const n = contactExamples(
        contact,
        rules,
        { cutoffs: options.cutoffs, horizonMs, ...(options.candidates === false ? {} : { intern }) },
        sink,
      );
      lift.endContact();
      if (n > 0) contacts += 1;
    },

    examples(): AuditExamples {
      return {
        scores: scores.view(),
        positive: positive.view(),
        features: features ? features.view() : null,
        featureCount: ruleCount,
        cutoffIndex: cutoffIndex.view(),
      };
    },

    report(): AuditReport {
      const s = scores.view();
      const p = positive.view();
      const n = s.length;
      let positives = 0;
      for (let i = 0; i < n; i++) positives += p[i]!;
      const weeks = Math.max(1, options.cutoffs.length);
      // One ordering serves the AUC, PR-AUC, the sweep and the deciles.
      const order = descendingOrder(s);
      const area = auc(s, p, order);
      const ascending = Float64Array.from(s).sort();
      const stayedAscending = Float64Array.from(stayed.view()).sort();
      // Positives among the top k (the k examples scoring ≥ t are exactly the top k).
      const positivesInTop = new Float64Array(n + 1);
      for (let i = 0; i < n; i++) positivesInTop[i + 1] = positivesInTop[i]! + p[order[i]!]!;
      const row = (t: number): ThresholdRow => {
        const predicted = countAtLeast(ascending, t);
        const hits = positivesInTop[predicted]!;
        return {
          score: round(t, 1),
          precision: predicted > 0 ? round(hits / predicted) : null,
          recall: positives > 0 ? round(hits / positives) : null,
          leads_per_week: round((predicted - countAtLeast(stayedAscending, t)) / weeks, 2),
        };
      };

      const distinct = [...new Set(ascending)].sort((a, b) => b - a);
      const picked =
        distinct.length <= MAX_THRESHOLDS
          ? distinct
          : [
              ...new Set(
                Array.from(
                  { length: MAX_THRESHOLDS },
                  (_, i) => distinct[Math.floor((i * distinct.length) / MAX_THRESHOLDS)]!,
                ),
              ),
            ];
      if (!picked.includes(rules.mql_threshold)) picked.push(rules.mql_threshold);
      picked.sort((a, b) => b - a);
      const thresholds = picked.map(row);
      const atThreshold = row(rules.mql_threshold);

      const recommended = recommend(thresholds, options, atThreshold.leads_per_week);

      const deciles: DecileRow[] = [];
      const baseRate = n > 0 ? positives / n : null;
      for (let d = 0; d < 10 && n > 0; d++) {
        const start = Math.floor((d * n) / 10);
        const end = Math.floor(((d + 1) * n) / 10);
        if (end <= start) continue;
        let hits = 0;
        for (let i = start; i < end; i++) hits += p[order[i]!]!;
        const rate = hits / (end - start);
        deciles.push({
          decile: d + 1,
          min: s[order[end - 1]!]!,
          max: s[order[start]!]!,
          examples: end - start,
          positives: hits,
          rate: round(rate),
          lift: baseRate ? round(rate / baseRate, 3) : null,
        });
      }

      const ruleAudits: RuleAudit[] = [
        ...compiled.engagement.map((r) => ({
          id: r.rule.id,
          label: r.label,
          kind: 'engagement' as const,
          points: r.rule.points,
        })),
        ...compiled.fit.map((r) => ({
          id: r.rule.id,
          label: r.label,
          kind: 'fit' as const,
          points: r.rule.points,
        })),
      ].map((r, i) => ({ ...r, ...liftStats(lift.of(i)) }));

      const candidates: CandidateAudit[] = [];
      keys.forEach((key, k) => {
        const sums = lift.of(ruleCount + k);
        if (sums.n1 < MIN_SUPPORT || sums.y1 < MIN_CANDIDATE_POSITIVES) return;
        if (coveredByRules(compiled, key)) return;
        const stats = liftStats(sums);
        const kind = key.startsWith('event:') ? ('event' as const) : ('path' as const);
        const what = key.slice(kind.length + 1);
        candidates.push({
          id: key,
          kind,
          label: kind === 'event' ? `Event ${what}` : `Pages under ${what}`,
          match: candidateMatch(key),
          ...stats,
        });
      });
      candidates.sort(
        (a, b) => (b.lift_ci?.[0] ?? 0) - (a.lift_ci?.[0] ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );

      const ci = area === null ? null : aucInterval(area, positives, n - positives);
      return {
        outcome: options.outcome,
        horizon_days: options.horizonDays,
        from: options.from,
        to: options.to,
        ruleset_version: rules.version,
        cutoffs: options.cutoffs.length,
        contacts,
        examples: n,
        positives,
        base_rate: baseRate === null ? null : round(baseRate),
        auc: area === null ? null : round(area),
        auc_ci: ci ? [round(ci[0]), round(ci[1])] : null,
        auc_method: 'hanley-mcneil',
        pr_auc: (() => {
          const ap = averagePrecision(s, p, order);
          return ap === null ? null : round(ap);
        })(),
        mql_threshold: rules.mql_threshold,
        precision: atThreshold.precision,
        recall: atThreshold.recall,
        mqls_per_week: atThreshold.leads_per_week,
        thresholds,
        recommended_threshold: recommended,
        deciles,
        rules: ruleAudits,
        candidates: candidates.slice(0, MAX_CANDIDATES),
      };
    },
  };
}

/**
 * The lowest threshold meeting the target precision and/or the weekly capacity (lowest, so it
 * keeps the most recall); with neither given, the threshold with the best F1.
 */
function recommend(rows: ThresholdRow[], options: AuditOptions, current: number): Recommended | null {
  const { targetPrecision, capacityPerWeek } = options;
  const ascending = [...rows].reverse();
  let chosen: ThresholdRow | undefined;
  let basis: Recommended['basis'];
  if (targetPrecision !== undefined || capacityPerWeek !== undefined) {
    basis =
      targetPrecision !== undefined && capacityPerWeek !== undefined
        ? 'target_precision+capacity_per_week'
        : targetPrecision !== undefined
          ? 'target_precision'
          : 'capacity_per_week';
    chosen = ascending.find(
      (r) =>
        (targetPrecision === undefined || (r.precision !== null && r.precision >= targetPrecision)) &&
        (capacityPerWeek === undefined || r.leads_per_week <= capacityPerWeek),
    );
  } else {
    basis = 'best_f1';
    let best = -1;
    for (const r of rows) {
      if (r.precision === null || r.recall === null || r.precision + r.recall === 0) continue;
      const f1 = (2 * r.precision * r.recall) / (r.precision + r.recall);
      if (f1 > best) {
        best = f1;
        chosen = r;
      }
    }
  }
  if (!chosen) return null;
  return { ...chosen, basis, change_in_mqls_per_week: round(chosen.leads_per_week - current, 2) };
}
