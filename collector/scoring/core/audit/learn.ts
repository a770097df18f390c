/**
 * A learned draft in the ruleset's own format: one logistic-regression coefficient per rule
 * (fired by the cutoff or not), turned into whole points the way credit scorecards do it —
 * POINTS_TO_DOUBLE_ODDS points double the odds of reaching the outcome, so
 * points = round(coefficient × 10 / ln 2). Each engagement rule then awards its points once
 * (a lifetime cap of its points), matching the feature it was fitted on; a rule whose points
 * round to zero is dropped and named in `learned.dropped`.
 */
import type { Ruleset } from '../rules';
import { candidateMatch } from './features';
import { fitLogistic } from './logistic';
import type { AuditExamples, CandidateAudit } from './report';
import { round, Z95 } from './stats';

export const POINTS_TO_DOUBLE_ODDS = 10;
export const MIN_POSITIVES_TO_LEARN = 20;
export const DEFAULT_LAMBDA = 1;

export class NotEnoughPositives extends Error {
  constructor(readonly positives: number) {
    super(
      `learning needs at least ${MIN_POSITIVES_TO_LEARN} positive examples and found ${positives}: ` +
        'record more outcomes (POST /api/outcomes, stage moves), widen the window or lengthen the horizon',
    );
    this.name = 'NotEnoughPositives';
  }
}

/** The ruleset plus the best candidate rules as engagement rules, so they can be fitted too. */
export function withCandidates(rules: Ruleset, candidates: readonly CandidateAudit[], max = 10): Ruleset {
  const chosen = candidates
    .filter((c) => c.verdict === 'predictive' || c.verdict === 'negative')
    .slice(0, max);
  const taken = new Set([...rules.engagement, ...rules.fit].map((r) => r.id));
  const added = chosen.map((c) => {
    let id = `cand_${c.id.replace(/[^A-Za-z0-9_.-]+/g, '_')}`.slice(0, 60);
    while (taken.has(id)) id = `${id}_`;
    taken.add(id);
    return {
      id,
      label: c.label,
      match: candidateMatch(c.id),
      points: 1,
      decay: true,
    } as Ruleset['engagement'][number];
  });
  return { ...rules, engagement: [...rules.engagement, ...added] };
}

export interface LearnWindow {
  outcome: string;
  horizonDays: number;
  from: number;
  to: number;
}

const toPoints = (coefficient: number) => Math.round((coefficient * POINTS_TO_DOUBLE_ODDS) / Math.LN2);

/** The draft (still to be validated by parseRuleset; the shell then places its MQL threshold). */
export function learnRuleset(
  rules: Ruleset,
  examples: AuditExamples,
  window: LearnWindow,
  lambda = DEFAULT_LAMBDA,
): Ruleset {
  const { features, positive, featureCount } = examples;
  if (!features) throw new Error('learning needs the examples kept with their features');
  let positives = 0;
  for (let i = 0; i < positive.length; i++) positives += positive[i]!;
  if (positives < MIN_POSITIVES_TO_LEARN) throw new NotEnoughPositives(positives);

  const fit = fitLogistic(features, positive, featureCount, lambda);
  const support = new Array<number>(featureCount).fill(0);
  const supportPositives = new Array<number>(featureCount).fill(0);
  for (let i = 0; i < positive.length; i++) {
    for (let j = 0; j < featureCount; j++) {
      if (features[i * featureCount + j] === 0) continue;
      support[j]! += 1;
      supportPositives[j]! += positive[i]!;
    }
  }
  const learned = (j: number) => ({
    coefficient: round(fit.coefficients[j]!),
    ci: [round(fit.coefficients[j]! - Z95 * fit.se[j]!), round(fit.coefficients[j]! + Z95 * fit.se[j]!)] as [
      number,
      number,
    ],
    support: support[j]!,
    positives: supportPositives[j]!,
  });
  const dropped: string[] = [];
  const engagement: Ruleset['engagement'] = [];
  rules.engagement.forEach((rule, j) => {
    const points = toPoints(fit.coefficients[j]!);
    if (points === 0) {
      dropped.push(rule.id);
      return;
    }
    engagement.push({ ...rule, points, cap: { lifetime: Math.abs(points) }, learned: learned(j) });
  });
  const offset = rules.engagement.length;
  const fitRules: Ruleset['fit'] = [];
  rules.fit.forEach((rule, i) => {
    const points = toPoints(fit.coefficients[offset + i]!);
    if (points === 0) {
      dropped.push(rule.id);
      return;
    }
    fitRules.push({ ...rule, points, learned: learned(offset + i) });
  });
  return {
    ...rules,
    version: rules.version + 1,
    engagement,
    fit: fitRules,
    learned: {
      outcome: window.outcome,
      horizon_days: window.horizonDays,
      from: window.from,
      to: window.to,
      examples: positive.length,
      positives,
      points_to_double_odds: POINTS_TO_DOUBLE_ODDS,
      intercept: round(fit.intercept),
      lambda,
      based_on_version: rules.version,
      dropped,
    },
  };
}
