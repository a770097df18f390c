/**
 * The audit on contacts with planted effects: planted rules are ranked above noise with
 * non-overlapping intervals, the AUC is the brute-force pairwise count, a behaviour that only
 * happens after the outcome shows no lift, bots are never features, a hidden behaviour comes up
 * as a candidate, and the same data gives byte-identical JSON. And point-in-time: each example's
 * score is the core's score as of its cutoff, and nothing after a cutoff changes it.
 */
import { describe, expect, it } from 'vitest';
import { contactExamples } from '../../../collector/scoring/core/audit/examples';
import { formatAudit } from '../../../collector/scoring/core/audit/format';
import { auditInMemory } from '../../../collector/scoring/core/audit/run';
import { profileAsOf } from '../../../collector/scoring/core/events';
import { score } from '../../../collector/scoring/core/score';
import { bruteForceAuc } from './brute';
import {
  BOT_TRAP,
  DAY,
  END,
  HIDDEN,
  LEAK_EVENT,
  NOISE,
  PLANTED,
  plantedContacts,
  plantedRuleset,
  START,
} from './planted';

const WINDOW = { outcome: 'sql' as const, horizonDays: 30, from: START + 14 * DAY, to: END };

describe('audit on planted effects', () => {
  const contacts = plantedContacts(4000, 7);
  const rules = plantedRuleset();
  const report = auditInMemory(rules, contacts, WINDOW).report();
  const rule = (id: string) => report.rules.find((r) => r.id === id)!;

  it('has examples and positives from weekly cutoffs', () => {
    expect(report.cutoffs).toBe(Math.floor((END - 30 * DAY - WINDOW.from) / (7 * DAY)) + 1);
    expect(report.examples).toBeGreaterThan(10_000);
    expect(report.positives).toBeGreaterThan(500);
    expect(report.base_rate).toBeCloseTo(report.positives / report.examples, 4);
  });

  it('calls planted rules predictive and noise rules noise, with intervals that do not overlap', () => {
    for (const b of PLANTED) expect(rule(b.id).verdict, b.id).toBe('predictive');
    for (const b of NOISE) expect(rule(b.id).verdict, b.id).toBe('noise');
    const lowestPlanted = Math.min(...PLANTED.map((b) => rule(b.id).lift_ci![0]));
    const highestNoise = Math.max(...NOISE.map((b) => rule(b.id).lift_ci![1]));
    expect(lowestPlanted).toBeGreaterThan(highestNoise);
    // Stronger planted effects show larger lifts.
    const lifts = PLANTED.map((b) => rule(b.id).lift!);
    expect([...lifts].sort((a, b) => b - a)).toEqual(lifts);
    expect(rule('never').verdict).toBe('dead');
  });

  it('gives a behaviour that only happens after the outcome no lift', () => {
    expect(rule('leak').fired).toBe(0);
    expect(rule('leak').verdict).toBe('dead');
    expect(report.candidates.map((c) => c.id)).not.toContain(`event:${LEAK_EVENT}`);
  });

  it('never uses bot events as features', () => {
    expect(report.candidates.map((c) => c.id)).not.toContain(`path:${BOT_TRAP}`);
  });

  it('proposes the hidden behaviour as a candidate rule with its lift', () => {
    const top = report.candidates[0]!;
    expect(top.id).toMatch(/^path:\/docs/);
    expect(top.verdict).toBe('predictive');
    expect(
      report.candidates.find((c) => c.id === `path:${HIDDEN.event.type === 'page' ? HIDDEN.event.path : ''}`)
        ?.verdict,
    ).toBe('predictive');
    expect(top.match).toEqual({ type: 'page', path: [top.id.slice(5), `${top.id.slice(5)}/*`] });
  });

  it('has an AUC equal to the brute-force pairwise count and an interval around it', () => {
    const small = auditInMemory(rules, plantedContacts(300, 3), WINDOW);
    const { scores, positive } = small.examples();
    const brute = bruteForceAuc([...scores], [...positive]);
    const r = small.report();
    expect(r.auc).toBeCloseTo(brute, 4);
    expect(r.auc_ci![0]).toBeLessThan(r.auc!);
    expect(r.auc_ci![1]).toBeGreaterThan(r.auc!);
    expect(report.auc!).toBeGreaterThan(0.6);
  });

  it('reports precision and recall at the threshold consistent with the sweep, deciles that add up', () => {
    const at = report.thresholds.find((t) => t.score === rules.mql_threshold)!;
    expect(report.precision).toBe(at.precision);
    expect(report.recall).toBe(at.recall);
    expect(report.mqls_per_week).toBe(at.leads_per_week);
    expect(report.deciles.reduce((n, d) => n + d.examples, 0)).toBe(report.examples);
    expect(report.deciles.reduce((n, d) => n + d.positives, 0)).toBe(report.positives);
    expect(report.deciles[0]!.lift!).toBeGreaterThan(report.deciles.at(-1)!.lift!);
    // Recall never falls as the threshold drops.
    const recalls = report.thresholds.map((t) => t.recall!);
    expect([...recalls].sort((a, b) => a - b)).toEqual(recalls);
  });

  it('recommends the lowest threshold meeting a target precision or a weekly capacity', () => {
    const byPrecision = auditInMemory(rules, contacts, { ...WINDOW, targetPrecision: 0.3 }).report();
    const rec = byPrecision.recommended_threshold!;
    expect(rec.basis).toBe('target_precision');
    expect(rec.precision!).toBeGreaterThanOrEqual(0.3);
    for (const t of byPrecision.thresholds) if (t.score < rec.score) expect(t.precision!).toBeLessThan(0.3);
    const byCapacity = auditInMemory(rules, contacts, { ...WINDOW, capacityPerWeek: 20 }).report();
    const cap = byCapacity.recommended_threshold!;
    expect(cap.leads_per_week).toBeLessThanOrEqual(20);
    for (const t of byCapacity.thresholds)
      if (t.score < cap.score) expect(t.leads_per_week).toBeGreaterThan(20);
    expect(cap.change_in_mqls_per_week).toBeCloseTo(cap.leads_per_week - byCapacity.mqls_per_week, 2);
  });

  it('prints as text for the terminal with every rule and its verdict', () => {
    const text = formatAudit(report);
    expect(text).toMatch(/AUC 0\.\d{3} \(95 % 0\.\d{3}–0\.\d{3}\)/);
    expect(text).toMatch(/webinar\s+✔ predictive/);
    expect(text).toMatch(/blog\s+· noise/);
    expect(text).toMatch(/Pages under \/docs\S* convert \d\.\d× \(\d\.\d–\d\.\d\)/);
  });

  it('gives byte-identical JSON for the same data, whatever order the events arrive in', () => {
    const again = plantedContacts(4000, 7).map((c) => ({ ...c, events: [...c.events].reverse() }));
    expect(JSON.stringify(auditInMemory(rules, again, WINDOW).report())).toBe(JSON.stringify(report));
  });
});

describe('audit examples are point-in-time', () => {
  const rules = plantedRuleset({}, 1);
  const decaying = {
    ...rules,
    half_life_days: 10,
    engagement: rules.engagement.map((r) => ({ ...r, decay: true, cap: undefined })),
  };
  const cutoffs = Array.from({ length: 30 }, (_, i) => START + (i + 1) * 7 * DAY);

  it('scores each example exactly as the core scores the log cut at the cutoff', () => {
    for (const contact of plantedContacts(150, 11)) {
      const seen: { cutoff: number; score: number }[] = [];
      contactExamples(
        contact,
        decaying,
        { cutoffs, horizonMs: 30 * DAY },
        {
          example: (c, value) => seen.push({ cutoff: cutoffs[c]!, score: value }),
        },
      );
      for (const { cutoff, score: value } of seen) {
        const before = contact.events.filter((e) => e.ts < cutoff);
        const expected = score(
          before,
          profileAsOf(contact.profile, contact.events, cutoff - 1),
          decaying,
          cutoff,
        ).total;
        expect(Math.abs(value - expected), `${contact.id} at ${cutoff}`).toBeLessThanOrEqual(0.1 + 1e-9);
      }
    }
  });

  it('does not change an example when events after its cutoff are added', () => {
    for (const contact of plantedContacts(100, 12)) {
      const run = (events: typeof contact.events) => {
        const out: string[] = [];
        contactExamples(
          { ...contact, events, outcome_at: null },
          decaying,
          { cutoffs, horizonMs: 30 * DAY },
          {
            example: (c, value, _p, _pos, fired) => out.push(`${c}:${value}:${fired.join('')}`),
          },
        );
        return out;
      };
      const cut = cutoffs[10]!;
      const early = run(contact.events.filter((e) => e.ts < cut)).filter(
        (x) => Number(x.split(':')[0]) <= 10,
      );
      const all = run(contact.events).filter((x) => Number(x.split(':')[0]) <= 10);
      expect(all).toEqual(early);
    }
  });
});
