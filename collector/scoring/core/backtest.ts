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

export interface BacktestReport {
  contacts: number;
  events: number;
  current: RulesetStats;
  draft: RulesetStats;
  /** "lead → mql": how many contacts make that move. */
  moves: Record<string, number>;
  changes: StageChange[];
}

const emptyStats = (rules: Ruleset): RulesetStats => ({
  version: rules.version,
  mqls: 0,
  sqls: 0,
  mqls_to_sql: 0,
  mql_to_sql_rate: null,
});

export function createBacktest(current: Ruleset, draft: Ruleset) {
  const report: BacktestReport = {
    contacts: 0,
    events: 0,
    current: emptyStats(current),
    draft: emptyStats(draft),
    moves: {},
    changes: [],
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
      return report;
    },
  };
}
