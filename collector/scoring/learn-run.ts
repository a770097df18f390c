/**
 * `learn`: fit a draft ruleset on the point-in-time examples, then audit the draft on the same
 * window to place its MQL threshold at the recommended cut, and report both audits side by side.
 * Reads only; the draft is returned, never applied.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors';
import type { Database } from '../storage/schema';
import { type AuditProgress, runAudit } from './audit-run';
import { learnRuleset, NotEnoughPositives, withCandidates } from './core/audit/learn';
import type { AuditReport } from './core/audit/report';
import type { AuditWindow } from './core/audit/run';
import { parseRuleset, type Ruleset } from './core/rules';

export interface AuditSummary {
  ruleset_version: number;
  auc: number | null;
  auc_ci: [number, number] | null;
  pr_auc: number | null;
  mql_threshold: number;
  precision: number | null;
  recall: number | null;
  mqls_per_week: number;
}

export interface LearnResult {
  draft: Ruleset;
  audit: { current: AuditSummary; draft: AuditSummary };
}

const summary = (r: AuditReport): AuditSummary => ({
  ruleset_version: r.ruleset_version,
  auc: r.auc,
  auc_ci: r.auc_ci,
  pr_auc: r.pr_auc,
  mql_threshold: r.mql_threshold,
  precision: r.precision,
  recall: r.recall,
  mqls_per_week: r.mqls_per_week,
});

export async function learnDraft(
  db: Kysely<Database>,
  base: Ruleset,
  window: AuditWindow,
  options: { candidates?: boolean; progress?: (step: string) => AuditProgress } = {},
): Promise<LearnResult> {
  const progress = options.progress ?? (() => ({}));
  const current = (
    await runAudit(db, base, window, progress('audit'), { candidates: options.candidates === true })
  ).report();
  const features = options.candidates ? withCandidates(base, current.candidates) : base;
  const examples = (
    await runAudit(db, features, window, progress('examples'), { keepFeatures: true, candidates: false })
  ).examples();
  let fitted: Ruleset;
  try {
    fitted = learnRuleset(features, examples, window);
  } catch (error) {
    if (error instanceof NotEnoughPositives) throw new AppError(422, 'insufficient_data', error.message);
    throw error;
  }
  const unplaced = parseRuleset(fitted);
  const report = (
    await runAudit(db, unplaced, window, progress('draft audit'), { candidates: false })
  ).report();
  const cut = report.recommended_threshold;
  const draft = parseRuleset({ ...fitted, mql_threshold: cut ? cut.score : fitted.mql_threshold });
  const draftSummary = summary(report);
  if (cut) {
    Object.assign(draftSummary, {
      mql_threshold: cut.score,
      precision: cut.precision,
      recall: cut.recall,
      mqls_per_week: cut.leads_per_week,
    });
  }
  return { draft, audit: { current: summary(current), draft: draftSummary } };
}
