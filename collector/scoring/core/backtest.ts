/**
 * Backtest a draft ruleset against the current one on the real log, writing nothing: for every
 * contact, the automatic stage each ruleset would have produced (replay.ts), the contacts whose
 * stage would differ, and the MQL→SQL rate under each — of the contacts a ruleset calls MQL, the
 * share that became SQL (automatically under that ruleset, or because sales qualified them).
 */
import { STAGE_RANK, type Stage } from '../../../shared/stages';
import type { ScoringEvent, ScoringProfile } from './events';
import { type AutomaticStage, replay } from './replay';
import type { Ruleset } from './rules';
import { score } from './score';
import { DAY_MS } from './visits';

export interface BacktestContact {
  id: string;
  email: string | null;
  /** The stage it is really at (sales moves included). */
  stage: Stage;
  sql_at: number | null;
  profile: ScoringProfile;
  events: ScoringEvent[];
}

export interface RulesetStats {
  version: number;
  mqls: number;
  sqls: number;
  /** MQLs that reached SQL. */
  mqls_to_sql: number;
  /** mqls_to_sql / mqls, or null with no MQLs. */
  mql_to_sql_rate: number | null;
}

export interface StageChange {
  id: string;
  email: string | null;
  from: AutomaticStage;
  to: AutomaticStage;
  peak_before: number;
  peak_after: number;
}

/** Identified contacts per score band, under each ruleset, scored as of the preview's moment. */
export interface ScoreDistribution {
  bands: string[];
  current: number[];
  draft: number[];
}

export interface WeekCount {
  /** The Monday (UTC) the week starts on, YYYY-MM-DD. */
  week: string;
  current: number;
  draft: number;
}

export interface BacktestReport {
  contacts: number;
  events: number;
  current: RulesetStats;
  draft: RulesetStats;
  /** "lead → mql": how many contacts make that move. */
  moves: Record<string, number>;
  changes: StageChange[];
  /** With `asOf` only. */
  distribution?: ScoreDistribution;
  /** When each ruleset's MQLs would have become MQLs, by week (with `asOf` only). */
  mqls_per_week?: WeekCount[];
}

export const SCORE_BANDS = [
  '< 0',
  ...Array.from({ length: 10 }, (_, i) => `${i * 10}–${i * 10 + 9}`),
  '100+',
];

export const bandOf = (total: number): number => (total < 0 ? 0 : Math.min(11, 1 + Math.floor(total / 10)));

/** The Monday (UTC) of the week `ts` falls in. 1970-01-01 was a Thursday: day 0 is 3 days after a Monday. */
export function weekOf(ts: number): string {
  const day = Math.floor(ts / DAY_MS);
  const monday = day - ((day + 3) % 7);
  return new Date(monday * DAY_MS).toISOString().slice(0, 10);
}

const emptyStats = (rules: Ruleset): RulesetStats => ({
  version: rules.version,
  mqls: 0,
  sqls: 0,
  mqls_to_sql: 0,
  mql_to_sql_rate: null,
});

export interface BacktestOptions {
  /** Also score every contact as of this moment (distribution) and count MQLs per week. */
  asOf?: number;
}

export function createBacktest(current: Ruleset, draft: Ruleset, options: BacktestOptions = {}) {
  const { asOf } = options;
  const report: BacktestReport = {
    contacts: 0,
    events: 0,
    current: emptyStats(current),
    draft: emptyStats(draft),
    moves: {},
    changes: [],
  };
  const distribution: ScoreDistribution = {
    bands: SCORE_BANDS,
    current: SCORE_BANDS.map(() => 0),
    draft: SCORE_BANDS.map(() => 0),
  };
  const weeks = new Map<string, WeekCount>();
  const countWeek = (at: number | null, firstTs: number, side: 'current' | 'draft') => {
    if (at === null) return;
    const week = weekOf(Number.isFinite(at) ? at : firstTs);
    const entry = weeks.get(week) ?? { week, current: 0, draft: 0 };
    entry[side] += 1;
    weeks.set(week, entry);
  };
  const soldAsSql = (c: BacktestContact) => c.sql_at !== null || STAGE_RANK[c.stage] >= STAGE_RANK.sql;

  return {
    add(contact: BacktestContact): void {
      report.contacts += 1;
      report.events += contact.events.length;
      const before = replay(contact.events, contact.profile, current);
      const after = replay(contact.events, contact.profile, draft);
      for (const [outcome, stats] of [
        [before, report.current],
        [after, report.draft],
      ] as const) {
        const sql = outcome.sql || soldAsSql(contact);
        if (outcome.mql) stats.mqls += 1;
        if (sql && outcome.stage !== 'visitor') stats.sqls += 1;
        if (outcome.mql && sql) stats.mqls_to_sql += 1;
      }
      if (asOf !== undefined && before.stage !== 'visitor') {
        const firstTs = contact.events.reduce((min, e) => Math.min(min, e.ts), asOf);
        distribution.current[bandOf(score(contact.events, contact.profile, current, asOf).total)]! += 1;
        distribution.draft[bandOf(score(contact.events, contact.profile, draft, asOf).total)]! += 1;
        countWeek(before.mql_at, firstTs, 'current');
        countWeek(after.mql_at, firstTs, 'draft');
      }
      if (before.stage !== after.stage) {
        const move = `${before.stage} → ${after.stage}`;
        report.moves[move] = (report.moves[move] ?? 0) + 1;
        report.changes.push({
          id: contact.id,
          email: contact.email,
          from: before.stage,
          to: after.stage,
          peak_before: before.peak,
          peak_after: after.peak,
        });
      }
    },
    report(): BacktestReport {
      for (const stats of [report.current, report.draft]) {
        stats.mql_to_sql_rate = stats.mqls > 0 ? stats.mqls_to_sql / stats.mqls : null;
      }
      if (asOf !== undefined) {
        report.distribution = distribution;
        report.mqls_per_week = [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1));
      }
      return report;
    },
  };
}
