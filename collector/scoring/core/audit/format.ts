/** The audit as text for the terminal (`npm run scoring -- audit`). */
import type { AuditReport, Verdict } from './report';

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null, digits = 2) => (v === null ? '–' : v.toFixed(digits));
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

const MARK: Record<Verdict, string> = {
  predictive: '✔ predictive',
  noise: '· noise',
  negative: '✘ negative',
  dead: '∅ dead',
  too_rare: '? too rare',
};

export function formatAudit(r: AuditReport): string {
  const lines: string[] = [];
  lines.push(
    `Audit of ruleset v${r.ruleset_version}: outcome ${r.outcome} within ${r.horizon_days} days, ` +
      `${date(r.from)} → ${date(r.to)} (${r.cutoffs} weekly cutoffs)`,
  );
  lines.push(
    `${r.examples} examples from ${r.contacts} contacts, ${r.positives} positive (base rate ${pct(r.base_rate)})`,
  );
  lines.push(
    `AUC ${num(r.auc, 3)} (95 % ${r.auc_ci ? `${num(r.auc_ci[0], 3)}–${num(r.auc_ci[1], 3)}` : '–'}), PR-AUC ${num(r.pr_auc, 3)}`,
  );
  lines.push(
    `At the MQL threshold ${r.mql_threshold}: precision ${pct(r.precision)}, recall ${pct(r.recall)}, ` +
      `${num(r.mqls_per_week, 1)} new MQLs a week`,
  );
  const rec = r.recommended_threshold;
  if (rec)
    lines.push(
      `Recommended threshold (${rec.basis}): ${rec.score}: precision ${pct(rec.precision)}, recall ${pct(rec.recall)}, ` +
        `${num(rec.leads_per_week, 1)} a week (${rec.change_in_mqls_per_week >= 0 ? '+' : ''}${num(rec.change_in_mqls_per_week, 1)})`,
    );
  else lines.push('Recommended threshold: none meets the target');
  lines.push('', 'Deciles (highest scores first):');
  for (const d of r.deciles)
    lines.push(
      `  ${String(d.decile).padStart(2)}  ${num(d.min, 1)}–${num(d.max, 1)}  ${pct(d.rate)}  lift ${num(d.lift)}`,
    );
  lines.push('', 'Rules:');
  for (const rule of r.rules) {
    const ci = rule.lift_ci ? `(${num(rule.lift_ci[0])}–${num(rule.lift_ci[1])})` : '';
    lines.push(
      `  ${pad(rule.id, 28)} ${pad(MARK[rule.verdict], 13)} lift ${pad(`${num(rule.lift)} ${ci}`, 22)} fired ${rule.fired}`,
    );
  }
  if (r.candidates.length > 0) {
    lines.push('', 'Candidate rules:');
    for (const c of r.candidates) {
      const ci = c.lift_ci ? `(${num(c.lift_ci[0], 1)}–${num(c.lift_ci[1], 1)})` : '';
      lines.push(`  ${c.label} convert ${num(c.lift, 1)}× ${ci}  [${c.verdict}, ${c.fired} examples]`);
    }
  }
  return lines.join('\n');
}
