/**
 * A validated ruleset turned into plain predicate functions, once per ruleset object (regular
 * expressions and globs are compiled here, not per event).
 */

import type { JsonValue } from '../../../shared/events';
import { type CompiledCondition, compileCondition, compileGlob, valueAt } from './conditions';
import { emailDomain, isFreeMail } from './email';
import type { ScoringEvent, ScoringProfile } from './events';
import type { EngagementRule, FitRule, Match, Ruleset } from './rules';
import { DAY_MS, type Visit } from './visits';

export interface CompiledEngagementRule {
  rule: EngagementRule;
  label: string;
  matches(event: ScoringEvent, visit: Visit): boolean;
  /** null: no decay. */
  halfLifeMs: number | null;
}

export interface CompiledFitRule {
  rule: FitRule;
  label: string;
  matches(profile: ScoringProfile): boolean;
}

export interface CompiledRuleset {
  rules: Ruleset;
  engagement: CompiledEngagementRule[];
  fit: CompiledFitRule[];
  handRaise: ReadonlySet<string>;
}

const list = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

type Test = (event: ScoringEvent, visit: Visit) => boolean;

/** One function per match, checks inlined cheapest first (it runs for every rule × event). */
function compileMatch(match: Match): Test {
  const types = list(match.type);
  const typeSet = types ? new Set<string>(types) : null;
  const nameList = list(match.name);
  const names = nameList ? new Set(nameList) : null;
  const paths = list(match.path)?.map(compileGlob) ?? null;
  const props = Object.entries(match.props ?? {}).map(([key, c]) => [key, compileCondition(c)] as const);
  const traits = Object.entries(match.traits ?? {}).map(([key, c]) => [key, compileCondition(c)] as const);
  const visit = match.visit ?? null;
  return (e, v) => {
    if (typeSet && !typeSet.has(e.type)) return false;
    if (names && (e.name === null || !names.has(e.name))) return false;
    if (visit === 'session_start' && !v.sessionStart) return false;
    if (visit === 'return' && !v.returnVisit) return false;
    if (paths) {
      const path = e.path;
      if (path === null || !paths.some((re) => re.test(path))) return false;
    }
    for (const [key, holds] of props) if (!holds(valueAt(e.props, key))) return false;
    for (const [key, holds] of traits) if (!holds(valueAt(e.traits, key))) return false;
    return true;
  };
}

const blank = (value: JsonValue | undefined) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A trait by its canonical name, looked up through the aliases (first one present wins). */
export function traitValue(
  rules: Ruleset,
  traits: ScoringProfile['traits'],
  name: string,
): JsonValue | undefined {
  for (const key of rules.trait_aliases[name] ?? [name]) {
    const value = valueAt(traits, key);
    if (!blank(value)) return value;
  }
  return undefined;
}

function domainMatcher(patterns: string[]): (domain: string) => boolean {
  const lower = patterns.map((p) => p.toLowerCase());
  return (domain) => lower.some((p) => (p.startsWith('*.') ? domain.endsWith(p.slice(1)) : domain === p));
}

function compileFit(rules: Ruleset, rule: FitRule): (profile: ScoringProfile) => boolean {
  const tests: ((profile: ScoringProfile) => boolean)[] = [];
  for (const [name, condition] of Object.entries(rule.traits ?? {})) {
    const holds: CompiledCondition = compileCondition(condition);
    tests.push((p) => holds(traitValue(rules, p.traits, name)));
  }
  const domainOf = (p: ScoringProfile) => (p.email ? emailDomain(p.email) : null);
  if (rule.email === 'free') tests.push((p) => !!domainOf(p) && isFreeMail(domainOf(p)!));
  if (rule.email === 'business') tests.push((p) => !!domainOf(p) && !isFreeMail(domainOf(p)!));
  if (rule.email_domain) {
    const inList = domainMatcher(rule.email_domain);
    tests.push((p) => !!domainOf(p) && inList(domainOf(p)!));
  }
  if (rule.geo) {
    const holds = compileCondition(rule.geo.country);
    tests.push((p) => holds(p.place?.country ?? undefined));
  }
  for (const [key, condition] of Object.entries(rule.net ?? {})) {
    if (condition === undefined) continue;
    const holds = compileCondition(condition);
    const field = key as 'asn' | 'org' | 'kind';
    tests.push((p) => holds(p.place?.net ? p.place.net[field] : undefined));
  }
  return (profile) => tests.every((test) => test(profile));
}

const compiled = new WeakMap<Ruleset, CompiledRuleset>();

export function compileRuleset(rules: Ruleset): CompiledRuleset {
  const cached = compiled.get(rules);
  if (cached) return cached;
  const result: CompiledRuleset = {
    rules,
    engagement: rules.engagement.map((rule) => {
      const match = compileMatch(rule.match);
      const unless = rule.unless ? compileMatch(rule.unless) : null;
      const halfLifeDays = rule.decay ? (rule.half_life_days ?? rules.half_life_days) : null;
      return {
        rule,
        label: rule.label ?? rule.id,
        matches: unless ? (e, v) => match(e, v) && !unless(e, v) : match,
        halfLifeMs: halfLifeDays ? halfLifeDays * DAY_MS : null,
      };
    }),
    fit: rules.fit.map((rule) => ({ rule, label: rule.label ?? rule.id, matches: compileFit(rules, rule) })),
    handRaise: new Set(rules.hand_raise),
  };
  compiled.set(rules, result);
  return result;
}
