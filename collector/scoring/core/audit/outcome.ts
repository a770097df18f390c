/**
 * When a contact reached an outcome, from what was recorded: stage transitions (sales moves,
 * automatic SQLs, imports) and imported outcome rows. Reaching a later stage counts as reaching
 * the earlier ones (a lead qualified straight to SQL has passed SAL), the first time wins.
 */
import type { Stage } from '../../../../shared/stages';

export const AUDIT_OUTCOMES = ['sal', 'sql', 'opportunity', 'won'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const STAGES_REACHING: Record<AuditOutcome, readonly Stage[]> = {
  sal: ['sal', 'sql', 'opportunity', 'customer'],
  sql: ['sql', 'opportunity', 'customer'],
  opportunity: ['opportunity', 'customer'],
  won: ['customer'],
};

const IMPORTS_REACHING: Record<AuditOutcome, readonly string[]> = {
  sal: ['sql', 'opportunity', 'won'],
  sql: ['sql', 'opportunity', 'won'],
  opportunity: ['opportunity', 'won'],
  won: ['won'],
};

export interface OutcomeRecords {
  transitions: readonly { to: string; at: number }[];
  imported: readonly { outcome: string; at: number }[];
}

export function outcomeReachedAt(outcome: AuditOutcome, records: OutcomeRecords): number | null {
  let first = Number.POSITIVE_INFINITY;
  const stages = STAGES_REACHING[outcome] as readonly string[];
  for (const t of records.transitions) if (stages.includes(t.to) && t.at < first) first = t.at;
  const names = IMPORTS_REACHING[outcome];
  for (const o of records.imported) if (names.includes(o.outcome) && o.at < first) first = o.at;
  return first === Number.POSITIVE_INFINITY ? null : first;
}
