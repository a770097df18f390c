/** The draft cost comparison as a table for the terminal (`npm run rescore -- --dry-run --cost`). */
import type { DraftCostReport } from './draft-cost';

const cost = (value: number | null, infinite: boolean) =>
  infinite ? '∞' : value === null ? '—' : value.toFixed(2);

export function formatDraftCost(report: DraftCostReport, draftName: string): string {
  const head = [
    `cost per MQL, ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)} (exclusive), ${report.model} by ${report.group}, in ${report.currency}`,
    `spend ${report.spend.toFixed(2)}: live v${report.live.version} (threshold ${report.live.mql_threshold}) ` +
      `${report.live.mqls} MQLs at ${cost(report.live.cost_per_mql, report.live.infinite)}; ` +
      `draft ${draftName} v${report.draft.version} (threshold ${report.draft.mql_threshold}) ` +
      `${report.draft.mqls} MQLs at ${cost(report.draft.cost_per_mql, report.draft.infinite)}`,
    '',
  ];
  const table = [
    [
      'source / medium' + (report.group === 'campaign' ? ' / campaign' : ''),
      'spend',
      'live MQLs',
      'live cost/MQL',
      'draft MQLs',
      'draft cost/MQL',
    ],
  ];
  for (const r of report.rows) {
    table.push([
      [r.source, r.medium, ...(report.group === 'campaign' ? [r.campaign ?? '(none)'] : [])].join(' / '),
      r.spend.toFixed(2),
      String(r.live_mqls),
      cost(r.live_cost_per_mql, r.infinite.includes('live')),
      String(r.draft_mqls),
      cost(r.draft_cost_per_mql, r.infinite.includes('draft')),
    ]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
  return [...head, ...lines].join('\n');
}
