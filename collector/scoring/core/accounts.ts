/**
 * Account rollup, pure: contacts grouped by company email domain into accounts. Free-mail
 * addresses have no company, so no account (`contacts.domain` is already null for them; the
 * list is checked again here so that callers passing raw emails' domains get the same answer).
 *
 * An account's score is the SUM of its members' scores (the same policy as the /api/accounts
 * read side): three people from one company at 30 each make a 90-point account even though none
 * of them is an MQL alone — the buying committee shows up. `best_score` keeps the single best
 * member visible beside it.
 */
import { STAGE_RANK, STAGES, type Stage } from '../../../shared/stages';
import { isFreeMail } from './compile';
import type { Ruleset } from './rules';

export interface AccountMember {
  id: string;
  domain: string | null;
  stage: Stage;
  score: number;
  last_seen: number;
}

export interface Account {
  domain: string;
  /** Sum of the members' scores (one decimal). */
  score: number;
  members: number;
  best_score: number;
  /** The furthest stage any member reached. */
  best_stage: Stage;
  /** Members at MQL or beyond. */
  qualified_members: number;
  /** score ≥ the ruleset's account_threshold. */
  qualified: boolean;
  last_seen: number;
}

/**
 * Order for "best stage": by STAGE_RANK, and among equal ranks the ordinary stage before the side
 * exits (a company with one lead and one recycled contact is best described as having a lead).
 */
export const BEST_STAGE_ORDER: Readonly<Record<Stage, number>> = Object.fromEntries(
  STAGES.map((stage) => {
    const sideExit = stage === 'recycled' ? 1 : stage === 'disqualified' ? 2 : 0;
    return [stage, STAGE_RANK[stage] * 10 + (2 - sideExit)];
  }),
) as Record<Stage, number>;

export const stageByBestOrder = (order: number): Stage =>
  STAGES.find((stage) => BEST_STAGE_ORDER[stage] === order) ?? 'visitor';

const tenths = (n: number) => Math.round(n * 10);

export function rollupAccounts(members: readonly AccountMember[], rules: Ruleset): Account[] {
  const groups = new Map<string, AccountMember[]>();
  for (const member of members) {
    const domain = member.domain?.toLowerCase();
    if (!domain || isFreeMail(domain)) continue;
    const group = groups.get(domain);
    if (group) group.push(member);
    else groups.set(domain, [member]);
  }
  const accounts: Account[] = [];
  for (const [domain, group] of groups) {
    const score = group.reduce((sum, m) => sum + tenths(m.score), 0) / 10;
    const bestOrder = Math.max(...group.map((m) => BEST_STAGE_ORDER[m.stage]));
    accounts.push({
      domain,
      score,
      members: group.length,
      best_score: Math.max(...group.map((m) => m.score)),
      best_stage: stageByBestOrder(bestOrder),
      qualified_members: group.filter((m) => STAGE_RANK[m.stage] >= STAGE_RANK.mql).length,
      qualified: score >= rules.account_threshold,
      last_seen: Math.max(...group.map((m) => m.last_seen)),
    });
  }
  return accounts.sort((a, b) => b.score - a.score || (a.domain < b.domain ? -1 : 1));
}
