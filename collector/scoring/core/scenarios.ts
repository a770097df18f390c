/**
 * Runs a ruleset's scenarios: each becomes a contact with a log, replayed by the same core the
 * backtest uses (the stage live scoring would have reached) and scored at its last event. Pure:
 * the timeline starts at a fixed date, so the result never depends on when it runs.
 */
import type { ScoringEvent, ScoringProfile } from './events';
import { replay } from './replay';
import type { Ruleset } from './rules';
import type { Scenario } from './scenario-schema';
import { score } from './score';
import { DAY_MS } from './visits';

/** A Monday; scenario day 0 starts here. */
const EPOCH = Date.UTC(2025, 0, 6, 9);
/** Events of one day are a minute apart, in the order listed. */
const STEP_MS = 60_000;

export interface ScenarioResult {
  name: string;
  passed: boolean;
  stage: string;
  score: number;
  expected: Scenario['expect'];
  /** Why it failed, in words (empty when it passed). */
  message: string;
}

function logOf(scenario: Scenario): ScoringEvent[] {
  return scenario.events.map((event, i) => ({
    id: `scenario-${i + 1}`,
    type: event.type,
    name: event.name ?? null,
    ts: EPOCH + event.day * DAY_MS + i * STEP_MS,
    session: event.session ?? `day-${Math.floor(event.day)}`,
    path: event.path ?? (event.type === 'page' ? '/' : null),
    props: event.props ?? null,
    traits: event.traits ?? null,
    user: event.type === 'identify' ? scenario.email : null,
    bot: false,
  }));
}

export function runScenario(scenario: Scenario, rules: Ruleset): ScenarioResult {
  const events = logOf(scenario);
  const profile: ScoringProfile = { email: scenario.email, user_id: null, traits: scenario.traits };
  const stage = replay(events, profile, rules).stage;
  const total = score(events, profile, rules, events.at(-1)?.ts ?? EPOCH).total;
  const { expect } = scenario;
  const problems: string[] = [];
  if (stage !== expect.stage) problems.push(`expected stage ${expect.stage}, got ${stage}`);
  if (expect.min_score !== undefined && total < expect.min_score) {
    problems.push(`expected a score of at least ${expect.min_score}, got ${total}`);
  }
  if (expect.max_score !== undefined && total > expect.max_score) {
    problems.push(`expected a score of at most ${expect.max_score}, got ${total}`);
  }
  return {
    name: scenario.name,
    passed: problems.length === 0,
    stage,
    score: total,
    expected: expect,
    message: problems.join('; '),
  };
}

export const runScenarios = (rules: Ruleset): ScenarioResult[] =>
  rules.scenarios.map((scenario) => runScenario(scenario, rules));

/** "scenario "X": expected …; scenario "Y": …", or null when every scenario passes. */
export function scenarioFailures(results: readonly ScenarioResult[]): string | null {
  const failed = results.filter((r) => !r.passed);
  if (failed.length === 0) return null;
  return failed.map((r) => `scenario "${r.name}": ${r.message}`).join('; ');
}
