/** The audit's statistics on small cases against textbook values and brute force. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiftSums } from '../../../collector/scoring/core/audit/lift-sums';
import {
  auc,
  aucInterval,
  averagePrecision,
  clusteredRatio,
  hanleyMcNeilSe,
  ratioOfProportions,
} from '../../../collector/scoring/core/audit/stats';
import { bruteForceAuc } from './brute';
import { random } from './planted';

/** Average precision by its definition: mean over positives of precision at that positive's score. */
function bruteForceAp(scores: number[], labels: number[]): number {
  const positives = labels.filter(Boolean).length;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    const above = scores.filter((s) => s >= scores[i]!);
    const hits = scores.filter((s, j) => s >= scores[i]! && labels[j]).length;
    sum += hits / above.length;
  }
  return sum / positives;
}

describe('audit statistics', () => {
  it('AUC: perfect, reversed, all tied and a hand-counted case', () => {
    expect(auc([3, 2, 1, 0], [1, 1, 0, 0])).toBe(1);
    expect(auc([3, 2, 1, 0], [0, 0, 1, 1])).toBe(0);
    expect(auc([5, 5, 5, 5], [1, 0, 1, 0])).toBe(0.5);
    // Positives 0.9, 0.6, 0.4; negatives 0.7, 0.4, 0.1: pairs won 3 + 2 + (0.5 + 1) = 6.5 of 9.
    expect(auc([0.9, 0.7, 0.6, 0.4, 0.4, 0.1], [1, 0, 1, 1, 0, 0])).toBeCloseTo(6.5 / 9, 12);
    expect(auc([1, 2], [1, 1])).toBeNull();
  });

  it('AUC equals the brute-force pairwise count on random scores with ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.boolean()), { minLength: 2, maxLength: 60 }),
        (rows) => {
          const scores = rows.map((r) => r[0]);
          const labels = rows.map((r) => (r[1] ? 1 : 0));
          const positives = labels.filter(Boolean).length;
          if (positives === 0 || positives === rows.length) return;
          expect(auc(scores, labels)).toBeCloseTo(bruteForceAuc(scores, labels), 12);
        },
      ),
    );
  });

  it('Hanley–McNeil: their CT example, A = 0.893 with 51 abnormal and 58 normal cases, has SE 0.032', () => {
    // Published to three decimals; the formula gives 0.0325.
    expect(Math.abs(hanleyMcNeilSe(0.893, 51, 58) - 0.032)).toBeLessThan(0.001);
    const [lo, hi] = aucInterval(0.893, 51, 58);
    expect(lo).toBeCloseTo(0.893 - 1.96 * 0.0325, 2);
    expect(hi).toBeCloseTo(0.893 + 1.96 * 0.0325, 2);
    expect(aucInterval(1, 10, 10)[1]).toBe(1);
  });

  it('average precision: a hand case and the definition on random ranks without ties', () => {
    // Ranks: hit, miss, hit → (1/1 + 2/3) / 2.
    expect(averagePrecision([3, 2, 1], [1, 0, 1])).toBeCloseTo((1 + 2 / 3) / 2, 12);
    expect(averagePrecision([3, 2, 1], [0, 0, 0])).toBeNull();
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 40 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (scores, flags) => {
          const labels = scores.map((_, i) => (flags[i] ? 1 : 0));
          if (!labels.some(Boolean)) return;
          expect(averagePrecision(scores, labels)).toBeCloseTo(bruteForceAp(scores, labels), 12);
        },
      ),
    );
  });

  it('ratio of proportions: 20/100 against 10/100 is 2 with the Katz interval 0.987–4.055', () => {
    const r = ratioOfProportions(20, 100, 10, 100)!;
    expect(r.ratio).toBeCloseTo(2, 12);
    // exp(ln 2 ± 1.96 √(1/20 − 1/100 + 1/10 − 1/100)) = exp(0.6931 ± 0.7067)
    expect(r.ci[0]).toBeCloseTo(0.9865, 3);
    expect(r.ci[1]).toBeCloseTo(4.0547, 3);
  });

  it('ratio of proportions: a zero count stays finite (Haldane ½), an empty group has none', () => {
    const r = ratioOfProportions(0, 50, 10, 100)!;
    expect(r.ratio).toBeCloseTo(0.5 / 51 / (10.5 / 101), 12);
    expect(Number.isFinite(r.ci[0]) && Number.isFinite(r.ci[1])).toBe(true);
    expect(r.ci[1]).toBeGreaterThan(r.ratio);
    expect(ratioOfProportions(1, 0, 1, 10)).toBeNull();
  });
});

describe('cluster-robust lift interval', () => {
  const sumsOf = (contacts: { fired: boolean; examples: number; positives: number }[]) => {
    const lift = new LiftSums();
    for (const c of contacts) {
      for (let i = 0; i < c.examples; i++) {
        const positive = i < c.positives;
        lift.example(positive);
        if (c.fired) lift.fired(0, positive);
      }
      lift.endContact();
    }
    return lift.of(0);
  };
  const rand = random(9);
  const contacts = Array.from({ length: 400 }, () => {
    const fired = rand() < 0.5;
    return { fired, examples: 1, positives: rand() < (fired ? 0.3 : 0.15) ? 1 : 0 };
  });

  it('matches Katz when every contact gives one example', () => {
    const s = sumsOf(contacts);
    const robust = clusteredRatio(s)!;
    const katz = ratioOfProportions(s.y1, s.n1, s.y0, s.n0)!;
    expect(robust.ratio).toBeCloseTo(katz.ratio, 12);
    expect(robust.ci[0]).toBeCloseTo(katz.ci[0], 2);
    expect(robust.ci[1]).toBeCloseTo(katz.ci[1], 2);
  });

  it('does not narrow when each contact is repeated at ten cutoffs (Katz would, by √10)', () => {
    const once = clusteredRatio(sumsOf(contacts))!;
    const repeated = sumsOf(contacts.map((c) => ({ ...c, examples: 10, positives: c.positives * 10 })));
    const tenfold = clusteredRatio(repeated)!;
    const katz = ratioOfProportions(repeated.y1, repeated.n1, repeated.y0, repeated.n0)!;
    const width = (r: { ci: [number, number] }) => Math.log(r.ci[1] / r.ci[0]);
    expect(tenfold.ratio).toBeCloseTo(once.ratio, 12);
    expect(width(tenfold)).toBeGreaterThan(0.95 * width(once));
    expect(width(katz)).toBeLessThan(0.4 * width(once));
  });
});
