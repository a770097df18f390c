/**
 * The learned draft on planted effects: its points recover the planted ordering, it scores a
 * later time split better than a deliberately mis-weighted ruleset, it stays a valid ruleset in
 * the same format (with annotations), and it refuses to learn from too few positives.
 */
import { describe, expect, it } from 'vitest';
import {
  learnRuleset,
  MIN_POSITIVES_TO_LEARN,
  NotEnoughPositives,
  POINTS_TO_DOUBLE_ODDS,
} from '../../../collector/scoring/core/audit/learn';
import { fitLogistic, solveSpd } from '../../../collector/scoring/core/audit/logistic';
import { auditInMemory } from '../../../collector/scoring/core/audit/run';
import { parseRuleset } from '../../../collector/scoring/core/rules';
import { DAY, END, NOISE, PLANTED, plantedContacts, plantedRuleset, START } from './planted';

/** Spearman's rank correlation with average ranks for ties. */
function spearman(a: number[], b: number[]): number {
  const ranks = (v: number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j < order.length && order[j]![0] === order[i]![0]) j++;
      for (let k = i; k < j; k++) r[order[k]![1]] = (i + j - 1) / 2;
      i = j;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}

const MID = START + 120 * DAY;
const TRAIN = { outcome: 'sql' as const, horizonDays: 30, from: START + 7 * DAY, to: MID };
const LATER = { outcome: 'sql' as const, horizonDays: 30, from: MID, to: END };

describe('learned draft', () => {
  const contacts = plantedContacts(5000, 21);
  const base = plantedRuleset();
  const examples = auditInMemory(base, contacts, TRAIN, { keepFeatures: true, candidates: false }).examples();
  const draft = parseRuleset(learnRuleset(base, examples, TRAIN));
  const behaviours = [...PLANTED, ...NOISE];
  const pointsOf = (id: string) => [...draft.engagement, ...draft.fit].find((r) => r.id === id)?.points ?? 0;

  it('recovers the planted ordering (rank correlation ≥ 0.9)', () => {
    const rho = spearman(
      behaviours.map((b) => b.effect),
      behaviours.map((b) => pointsOf(b.id)),
    );
    expect(rho).toBeGreaterThanOrEqual(0.9);
    // And roughly the planted sizes: 10 points per doubling of the odds.
    const webinar = draft.engagement.find((r) => r.id === 'webinar')!;
    expect(webinar.learned!.ci[0]).toBeLessThan(webinar.learned!.coefficient);
    expect(webinar.points).toBe(
      Math.round((webinar.learned!.coefficient * POINTS_TO_DOUBLE_ODDS) / Math.LN2),
    );
  });

  it('drops rules that never fired and records what it was fitted on', () => {
    expect(draft.learned!.dropped).toEqual(expect.arrayContaining(['leak', 'never']));
    expect(draft.engagement.map((r) => r.id)).not.toContain('never');
    expect(draft.version).toBe(base.version + 1);
    expect(draft.learned).toMatchObject({ outcome: 'sql', horizon_days: 30, points_to_double_odds: 10 });
    for (const rule of draft.engagement) expect(rule.cap?.lifetime).toBe(Math.abs(rule.points));
  });

  it('scores a later time split better than a deliberately mis-weighted ruleset', () => {
    const misweighted = plantedRuleset({
      webinar: 1,
      pricing: 1,
      cases: 1,
      blog: 30,
      newsletter: 30,
      careers: 30,
    });
    const later = plantedContacts(5000, 21);
    const draftAuc = auditInMemory(draft, later, LATER, { candidates: false }).report().auc!;
    const wrongAuc = auditInMemory(misweighted, later, LATER, { candidates: false }).report().auc!;
    expect(draftAuc).toBeGreaterThan(wrongAuc + 0.05);
  });

  it(`refuses below ${MIN_POSITIVES_TO_LEARN} positive examples with a message that says what to do`, () => {
    const few = auditInMemory(base, plantedContacts(40, 5), TRAIN, { keepFeatures: true }).examples();
    expect(() => learnRuleset(base, few, TRAIN)).toThrow(NotEnoughPositives);
    expect(() => learnRuleset(base, few, TRAIN)).toThrow(/at least 20 positive examples and found \d+/);
  });
});

describe('logistic regression', () => {
  it('solves a small positive definite system', () => {
    const x = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([10, 8]), 2);
    expect(x[0]).toBeCloseTo(1.75, 10);
    expect(x[1]).toBeCloseTo(1.5, 10);
  });

  it('without a penalty, one binary feature gives the log odds ratio of the 2×2 table', () => {
    // Fired: 30 of 100 positive; not fired: 10 of 100. Log OR = ln((30/70)/(10/90)).
    const features = new Uint8Array(200);
    const positive = new Uint8Array(200);
    for (let i = 0; i < 100; i++) {
      features[i] = 1;
      positive[i] = i < 30 ? 1 : 0;
      positive[100 + i] = i < 10 ? 1 : 0;
    }
    const fit = fitLogistic(features, positive, 1, 0);
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(30 / 70 / (10 / 90)), 6);
    expect(fit.intercept).toBeCloseTo(Math.log(10 / 90), 6);
    // Woolf: SE of a log odds ratio = √(1/a + 1/b + 1/c + 1/d).
    expect(fit.se[0]).toBeCloseTo(Math.sqrt(1 / 30 + 1 / 70 + 1 / 10 + 1 / 90), 6);
  });
});
