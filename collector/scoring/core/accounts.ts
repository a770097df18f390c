/**
 * The account policy, pure: what an account's numbers mean once its members are grouped by
 * company email domain (free-mail addresses have no company, so no account: `contacts.domain` is
 * null for them, see email.ts). The query that groups them is api/account-score.ts; it only
 * aggregates, and every decision is here:
 *  - an account's score is the SUM of its members' scores (one decimal), so three people from one
 *    company at 30 each make a 90-point account though none of them is an MQL alone;
 *  - `qualified` is account score ≥ the ruleset's `account_threshold`;
 *  - `best_stage` is the furthest stage any member reached;
 *  - `qualified_members` counts members at MQL or beyond.
 */
import { STAGE_RANK, STAGES, type Stage } from '../../../shared/stages';
import type { Ruleset } from './rules';

/** Stages that count a member as "MQL or beyond". */
export const QUALIFIED_MEMBER_STAGES: readonly Stage[] = STAGES.filter(
  (stage) => STAGE_RANK[stage] >= STAGE_RANK.mql,
);

/**
 * Order for "best stage": by STAGE_RANK, and among equal ranks the ordinary stage before the side
 * exits (a company with one lead and one recycled contact is best described as having a lead).
 * The query takes the MAX of this number over the members.
 */
export const BEST_STAGE_ORDER: Readonly<Record<Stage, number>> = Object.fromEntries(
  STAGES.map((stage) => {
    const sideExit = stage === 'recycled' ? 1 : stage === 'disqualified' ? 2 : 0;
    return [stage, STAGE_RANK[stage] * 10 + (2 - sideExit)];
  }),
) as Record<Stage, number>;

export const stageByBestOrder = (order: number): Stage =>
  STAGES.find((stage) => BEST_STAGE_ORDER[stage] === order) ?? 'visitor';

/** What the grouping query measures over one domain's members. */
export interface AccountTotals {
  /** Sum of the members' scores. */
  scoreSum: number;
  /** MAX of BEST_STAGE_ORDER over the members. */
  bestStageOrder: number;
}

export interface AccountVerdict {
  /** Sum of the members' scores, to one decimal (sums of decimals drift in floating point). */
  score: number;
  best_stage: Stage;
  /** score ≥ the ruleset's account_threshold. */
  qualified: boolean;
}

export function judgeAccount(
  totals: AccountTotals,
  rules: Pick<Ruleset, 'account_threshold'>,
): AccountVerdict {
  const score = Math.round(totals.scoreSum * 10) / 10;
  return {
    score,
    best_stage: stageByBestOrder(totals.bestStageOrder),
    qualified: score >= rules.account_threshold,
  };
}
