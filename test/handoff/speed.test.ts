import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HandoffRecord, quantile, speedReport, summarise } from '../../collector/handoff/speed';

const MIN = 60_000;

describe('quantile', () => {
  it('matches textbook values (linear interpolation, NumPy default)', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([15, 20, 35, 40, 50], 0.4)).toBe(29); // NumPy: np.percentile([15,20,35,40,50], 40)
  });

  it('agrees with a brute-force count: at least q of the values lie at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const v = quantile(values, q)!;
          const sorted = [...values].sort((a, b) => a - b);
          expect(v).toBeGreaterThanOrEqual(sorted[0]!);
          expect(v).toBeLessThanOrEqual(sorted.at(-1)!);
          const below = values.filter((x) => x <= v).length;
          expect(below).toBeGreaterThanOrEqual(Math.floor((values.length - 1) * q) + 1);
        },
      ),
    );
  });
});

describe('speed-to-lead summary', () => {
  const record = (over: Partial<HandoffRecord>): HandoffRecord => ({
    owner: 'ana',
    qualified_at: 0,
    alerted_at: null,
    answered_at: null,
    answer: null,
    reject_reason: null,
    sla_due_at: null,
    ...over,
  });

  it('computes delays, SLA attainment, acceptance and reject reasons, per owner and overall', () => {
    const records = [
      record({ alerted_at: 1000, answered_at: 1000 + 10 * MIN, answer: 'accepted', sla_due_at: 30 * MIN }),
      record({
        alerted_at: 3000,
        answered_at: 3000 + 50 * MIN,
        answer: 'rejected',
        reject_reason: 'no budget',
        sla_due_at: 30 * MIN,
      }),
      record({ owner: 'ben', alerted_at: 2000, sla_due_at: 30 * MIN }), // unanswered, past due at now
      record({ owner: 'ben', qualified_at: 100 * MIN, alerted_at: 100 * MIN + 500, sla_due_at: 130 * MIN }), // running
      record({
        owner: 'ben',
        alerted_at: 5000,
        answered_at: 5000 + MIN,
        answer: 'rejected',
        reject_reason: 'no budget',
      }),
    ];
    const now = 110 * MIN;
    const all = summarise(records, now);
    expect(all.leads).toBe(5);
    expect(all.system_delay).toEqual({
      count: 5,
      median_ms: 2000,
      p90_ms: 4200,
    });
    expect(all.human_delay).toEqual({ count: 3, median_ms: 10 * MIN, p90_ms: 10 * MIN + 0.8 * 40 * MIN });
    expect(all.sla).toEqual({ met: 1, missed: 2, running: 1, attainment: 0.3333 });
    expect(all.acceptance_rate).toBe(0.3333);
    expect(all.reject_reasons).toEqual([{ reason: 'no budget', count: 2 }]);
    const report = speedReport(records, now);
    expect(report.owners.map((o) => [o.owner, o.leads, o.sla.attainment])).toEqual([
      ['ana', 2, 0.5],
      ['ben', 3, 0],
    ]);
  });
});
