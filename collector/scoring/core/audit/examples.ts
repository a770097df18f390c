/**
 * Point-in-time examples from one contact, in a single pass over its events in time order.
 *
 * For each cutoff (ascending) at which the contact had at least one human event before the
 * cutoff and had not yet reached the outcome, one example: the score as of the cutoff (events
 * strictly before it, points decayed to it, the profile as identify events had built it by
 * then), which rules had fired, which candidate features had been seen, and whether the outcome
 * came within the horizon after the cutoff. Nothing at or after a cutoff reaches its example.
 *
 * Each award's raw points depend only on earlier events (caps and frequency windows look
 * backwards), so the awards are computed once for the whole log; walking the cutoffs in order
 * then only adds the awards that fall before each one and decays one running sum per rule.
 */
import { type CompiledRuleset, compileRuleset } from '../compile';
import { evaluateRule } from '../engagement';
import { byTime, profileAsOf, type ScoringEvent, type ScoringProfile } from '../events';
import type { Ruleset } from '../rules';
import { score } from '../score';
import { deriveVisits } from '../visits';
import { candidateKeys } from './features';

export interface AuditContact {
  id: string;
  profile: ScoringProfile;
  events: readonly ScoringEvent[];
  /** When the contact first reached the audited outcome (null: never). */
  outcome_at: number | null;
}

export interface ExampleSink {
  /**
   * One example. `fired` (one flag per rule: engagement rules first, then fit rules) and
   * `seen` (interned candidate ids) are reused between calls: copy what you keep.
   */
  example(
    cutoffIndex: number,
    score: number,
    previous: number | null,
    positive: boolean,
    fired: Uint8Array,
    seen: ReadonlySet<number>,
  ): void;
}

interface Award {
  ts: number;
  points: number;
  rule: number;
}

const tenths = (n: number) => Math.round(n * 10) / 10;

/** Fit rule id → its feature index (after the engagement rules), once per compiled ruleset. */
const fitIndexes = new WeakMap<CompiledRuleset, Map<string, number>>();
function fitIndexOf(compiled: CompiledRuleset): Map<string, number> {
  let index = fitIndexes.get(compiled);
  if (!index) {
    index = new Map(compiled.fit.map((f, i) => [f.rule.id, compiled.engagement.length + i]));
    fitIndexes.set(compiled, index);
  }
  return index;
}

export interface ExampleOptions {
  cutoffs: readonly number[];
  horizonMs: number;
  /** Interns candidate keys; omit to skip candidate features. */
  intern?: (key: string) => number;
}

export function contactExamples(
  contact: AuditContact,
  rules: Ruleset,
  options: ExampleOptions,
  sink: ExampleSink,
): number {
  const { cutoffs, horizonMs, intern } = options;
  const compiled = compileRuleset(rules);
  const humans = contact.events.filter((e) => !e.bot).sort(byTime);
  if (humans.length === 0) return 0;
  const visits = deriveVisits(humans);
  const last = humans.at(-1)!.ts;
  const awards: Award[] = [];
  compiled.engagement.forEach((rule, index) => {
    for (const award of evaluateRule(rule, humans, visits, last).awards) {
      awards.push({ ts: award.event.ts, points: award.points, rule: index });
    }
  });
  awards.sort((a, b) => a.ts - b.ts || a.rule - b.rule);

  const engagementCount = compiled.engagement.length;
  const fired = new Uint8Array(engagementCount + compiled.fit.length);
  const sums = new Float64Array(engagementCount);
  const sumAt = new Float64Array(engagementCount);
  const halfLives = compiled.engagement.map((r) => r.halfLifeMs);
  const active: number[] = [];
  const seen = new Set<number>();
  const fitIndex = fitIndexOf(compiled);

  let nextAward = 0;
  let nextEvent = 0;
  let identifies = -1;
  let identifiesSeen = 0;
  let fit = 0;
  let previous: number | null = null;
  let previousCutoff = -2;
  let emitted = 0;
  const outcomeAt = contact.outcome_at;

  for (let c = 0; c < cutoffs.length; c++) {
    const cutoff = cutoffs[c]!;
    if (humans[0]!.ts >= cutoff) continue;
    if (outcomeAt !== null && outcomeAt < cutoff) break;
    for (; nextAward < awards.length && awards[nextAward]!.ts < cutoff; nextAward++) {
      const a = awards[nextAward]!;
      const hl = halfLives[a.rule]!;
      if (fired[a.rule] === 0) {
        fired[a.rule] = 1;
        active.push(a.rule);
        sumAt[a.rule] = a.ts;
      }
      if (hl !== null) sums[a.rule]! *= 0.5 ** ((a.ts - sumAt[a.rule]!) / hl);
      sums[a.rule]! += a.points;
      sumAt[a.rule] = a.ts;
    }
    for (; nextEvent < humans.length && humans[nextEvent]!.ts < cutoff; nextEvent++) {
      const event = humans[nextEvent]!;
      if (event.type === 'identify') identifiesSeen += 1;
      if (intern) for (const key of candidateKeys(event)) seen.add(intern(key));
    }
    if (identifiesSeen !== identifies) {
      identifies = identifiesSeen;
      const lines = score([], profileAsOf(contact.profile, humans, cutoff - 1), rules, cutoff).breakdown;
      for (let i = engagementCount; i < fired.length; i++) fired[i] = 0;
      for (const line of lines) fired[fitIndex.get(line.rule)!] = 1;
      fit = lines.reduce((sum, line) => sum + Math.round(line.decayed * 10), 0) / 10;
    }
    let engagementTenths = 0;
    for (const rule of active) {
      const hl = halfLives[rule]!;
      if (hl !== null) {
        sums[rule]! *= 0.5 ** ((cutoff - sumAt[rule]!) / hl);
        sumAt[rule] = cutoff;
      }
      engagementTenths += Math.round(sums[rule]! * 10);
    }
    const total = tenths(fit + engagementTenths / 10);
    const positive = outcomeAt !== null && outcomeAt < cutoff + horizonMs;
    sink.example(c, total, previousCutoff === c - 1 ? previous : null, positive, fired, seen);
    emitted += 1;
    previous = total;
    previousCutoff = c;
  }
  return emitted;
}
