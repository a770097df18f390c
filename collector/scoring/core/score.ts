/**
 * The one pure scoring core, used by live ingestion, `npm run rescore`, the backtest and the
 * benchmark alike: score(events, profile, rules, now). No I/O and no clock of its own — `now` is
 * also the "as of" moment: events after it are ignored, so passing a past date answers "what was
 * this contact's score then". Results depend on event time only, never on arrival order.
 *
 * Points are kept in tenths: every breakdown line is rounded to one decimal and the totals are
 * the sums of the rounded lines, so the breakdown always adds up to exactly the score shown.
 */
import { compileRuleset } from './compile';
import { evaluateRule } from './engagement';
import { byTime, effectiveProfile, type ScoringEvent, type ScoringProfile } from './events';
import type { Ruleset } from './rules';
import { DAY_MS, deriveVisits } from './visits';

export type LineKind = 'fit' | 'engagement' | 'excluded';

export interface BreakdownLine {
  rule: string;
  label: string;
  kind: LineKind;
  /** The events that earned these points, oldest first (empty for fit lines). */
  event_ids: string[];
  /** How many events: equals event_ids.length unless a stored breakdown kept only the newest ids. */
  count: number;
  /** Raw points, before decay. */
  points: number;
  /** What they are worth now: the part of the score this line contributes. */
  decayed: number;
  /** Matching events that earned nothing because the rule's cap was reached. */
  capped?: number;
}

export interface ScoreResult {
  fit: number;
  engagement: number;
  total: number;
  grade: string;
  temperature: string;
  /** Raw engagement points earned inside the temperature window. */
  recent: number;
  breakdown: BreakdownLine[];
  ruleset_version: number;
  as_of: number;
}

const tenths = (n: number): number => Math.round(n * 10);
const fromTenths = (n: number): number => n / 10;

export const BOT_RULE = 'bot';

function fitLines(rules: Ruleset, profile: ScoringProfile): BreakdownLine[] {
  const lines: BreakdownLine[] = [];
  const decidedGroups = new Set<string>();
  for (const fit of compileRuleset(rules).fit) {
    const { group } = fit.rule;
    if (group && decidedGroups.has(group)) continue;
    if (!fit.matches(profile)) continue;
    if (group) decidedGroups.add(group);
    const points = fromTenths(tenths(fit.rule.points));
    lines.push({
      rule: fit.rule.id,
      label: fit.label,
      kind: 'fit',
      event_ids: [],
      count: 0,
      points,
      decayed: points,
    });
  }
  return lines;
}

export function score(
  events: readonly ScoringEvent[],
  profile: ScoringProfile,
  rules: Ruleset,
  now: number,
): ScoreResult {
  const compiled = compileRuleset(rules);
  const inTime = events.filter((e) => e.ts <= now).sort(byTime);
  const bots = inTime.filter((e) => e.bot);
  const humans = bots.length > 0 ? inTime.filter((e) => !e.bot) : inTime;
  const visits = deriveVisits(humans);
  const windowStart = now - rules.temperature.window_days * DAY_MS;

  const breakdown = fitLines(rules, effectiveProfile(profile, humans));
  let recent = 0;
  for (const rule of compiled.engagement) {
    const outcome = evaluateRule(rule, humans, visits, now);
    if (outcome.awards.length === 0 && outcome.capped.length === 0) continue;
    let points = 0;
    let decayed = 0;
    for (const award of outcome.awards) {
      points += award.points;
      decayed += award.decayed;
      if (award.event.ts >= windowStart) recent += award.points;
    }
    breakdown.push({
      rule: rule.rule.id,
      label: rule.label,
      kind: 'engagement',
      event_ids: outcome.awards.map((a) => a.event.id),
      count: outcome.awards.length,
      points: fromTenths(tenths(points)),
      decayed: fromTenths(tenths(decayed)),
      ...(outcome.capped.length > 0 ? { capped: outcome.capped.length } : {}),
    });
  }
  if (bots.length > 0) {
    breakdown.push({
      rule: BOT_RULE,
      label: 'Bot or automated browser (not scored)',
      kind: 'excluded',
      event_ids: bots.map((e) => e.id),
      count: bots.length,
      points: 0,
      decayed: 0,
    });
  }

  let fitTenths = 0;
  let engagementTenths = 0;
  for (const line of breakdown) {
    if (line.kind === 'fit') fitTenths += tenths(line.decayed);
    if (line.kind === 'engagement') engagementTenths += tenths(line.decayed);
  }
  const fit = fromTenths(fitTenths);
  const grade = rules.grades.bands.find((band) => fit >= band.min_fit)?.grade ?? rules.grades.otherwise;
  const temperature =
    rules.temperature.bands.find((band) => recent >= band.min)?.label ?? rules.temperature.otherwise;
  return {
    fit,
    engagement: fromTenths(engagementTenths),
    total: fromTenths(fitTenths + engagementTenths),
    grade,
    temperature,
    recent: fromTenths(tenths(recent)),
    breakdown,
    ruleset_version: rules.version,
    as_of: now,
  };
}
