/**
 * The audit over contacts already in memory: what the tests, the learner and the shell's batches
 * all go through.
 */
import type { Ruleset } from '../rules';
import { DAY_MS } from '../visits';
import { auditCutoffs } from './cutoffs';
import type { AuditContact } from './examples';
import type { AuditOutcome } from './outcome';
import { type AuditOptions, createAudit } from './report';

export interface AuditWindow {
  outcome: AuditOutcome;
  horizonDays: number;
  from: number;
  to: number;
  targetPrecision?: number;
  capacityPerWeek?: number;
}

export function auditOptions(window: AuditWindow, extra: Partial<AuditOptions> = {}): AuditOptions {
  return {
    ...window,
    cutoffs: auditCutoffs(window.from, window.to, window.horizonDays * DAY_MS),
    ...extra,
  };
}

export function auditInMemory(
  rules: Ruleset,
  contacts: Iterable<AuditContact>,
  window: AuditWindow,
  extra: Partial<AuditOptions> = {},
) {
  const audit = createAudit(rules, auditOptions(window, extra));
  for (const contact of contacts) audit.add(contact);
  return audit;
}
