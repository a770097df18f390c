/** The backtest report as the text `npm run rescore -- --dry-run --rules new.json` prints. */
import type { BacktestReport, RulesetStats } from './backtest';

const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

const row = (label: string, a: string | number, b: string | number) =>
  `  ${label.padEnd(22)}${String(a).padStart(10)}${String(b).padStart(10)}`;

export function formatBacktest(report: BacktestReport, draftName: string, listLimit = 50): string {
  const { current, draft } = report;
  const stats = (pick: (s: RulesetStats) => string | number) => [pick(current), pick(draft)] as const;
  const lines = [
    `Backtest over ${report.contacts} contacts and ${report.events} events (nothing written)`,
    row('', `current v${current.version}`, `draft v${draft.version}`),
    row('MQLs', ...stats((s) => s.mqls)),
    row('SQLs', ...stats((s) => s.sqls)),
    row('MQLs that reached SQL', ...stats((s) => s.mqls_to_sql)),
    row('MQL→SQL rate', ...stats((s) => pct(s.mql_to_sql_rate))),
    '',
    `${report.changes.length} contacts would change stage under ${draftName}`,
  ];
  for (const [move, count] of Object.entries(report.moves).sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${move}: ${count}`);
  }
  const shown = report.changes.slice(0, listLimit);
  if (shown.length > 0) lines.push('', 'Contacts (peak score current → draft):');
  for (const change of shown) {
    lines.push(
      `  ${change.id}  ${change.email ?? '(no email)'}  ${change.from} → ${change.to}  (${change.peak_before} → ${change.peak_after})`,
    );
  }
  if (report.changes.length > shown.length) {
    lines.push(`  … and ${report.changes.length - shown.length} more (--list N or --json to see all)`);
  }
  return lines.join('\n');
}
