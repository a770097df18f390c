/**
 * Spend in: a CSV export (any format in formats.ts) or a JSON array of rows → checked rows
 * upserted per (day, source, medium, campaign), with a line-by-line account of what was
 * refused and why. Rows of one import that share a key are added up (an export broken down by
 * ad group or device has several lines per campaign and day); the sum replaces what was
 * stored for that key, so importing the same file again changes nothing.
 */
import type { Kysely } from 'kysely';
import type { Database, SpendRow } from '../storage/schema';
import type { SpendConfig } from './config';
import { parseCsv } from './csv';
import { type DateStyle, detectLayout, type FormatName, type RawSpendRow, rowOf } from './formats';
import { type CheckedSpend, checkRow } from './rows';

/** Most rows one import may carry (a year of daily rows for a few hundred campaigns). */
export const MAX_ROWS = 100_000;

export interface RefusedRow {
  /** The line in the file (from 1), or the position in the JSON array (from 1). */
  row: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  format: FormatName;
  currency: string;
  /** Data rows read (refused and skipped included). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Cost of the accepted rows, in the reporting currency. */
  cost: number;
  refused: RefusedRow[];
  /** Totals and summary lines the export adds, left out on purpose. */
  skipped: { row: number; reason: string }[];
}

export class ImportError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ImportError';
  }
}

export interface ParsedImport {
  format: FormatName;
  dates: DateStyle;
  rows: { row: number; raw: RawSpendRow }[];
  skipped: { row: number; reason: string }[];
}

/**
 * A CSV export → its raw rows; a header no format knows is an error naming what is missing.
 * `currency` is the currency of a file without a currency column, as its owner states it.
 */
export function parseCsvImport(text: string, currency?: string): ParsedImport {
  const lines = parseCsv(text);
  const layout = detectLayout(lines);
  if (!layout) {
    throw new ImportError(
      'header',
      'no known header in the first 20 lines: expected date, source, cost, currency (generic), ' +
        'or a Google Ads, LinkedIn Campaign Manager or Meta Ads Manager cost export',
    );
  }
  const rows: ParsedImport['rows'] = [];
  const skipped: ParsedImport['skipped'] = [];
  for (let i = layout.headerLine + 1; i < lines.length; i++) {
    const cells = lines[i]!;
    if (cells.every((c) => c.trim() === '')) continue;
    const raw = rowOf(layout, cells);
    if (currency !== undefined && raw.currency === undefined) raw.currency = currency;
    if (layout.format.isTotal?.(raw)) skipped.push({ row: i + 1, reason: 'totals row' });
    else rows.push({ row: i + 1, raw });
  }
  if (rows.length + skipped.length > MAX_ROWS) throw new ImportError('body', `more than ${MAX_ROWS} rows`);
  return { format: layout.format.name, dates: layout.format.dates, rows, skipped };
}

/** A JSON array of `{date, source, medium?, campaign?, cost, currency, impressions?, clicks?}`. */
export function parseJsonImport(json: unknown): ParsedImport {
  if (!Array.isArray(json)) throw new ImportError('body', 'must be a JSON array of spend rows');
  if (json.length > MAX_ROWS) throw new ImportError('body', `more than ${MAX_ROWS} rows`);
  const rows = json.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ImportError(String(i), 'must be an object');
    }
    return { row: i + 1, raw: raw as RawSpendRow };
  });
  return { format: 'generic', dates: 'iso', rows, skipped: [] };
}

const keyOf = (r: Pick<CheckedSpend, 'day' | 'source' | 'medium' | 'campaign'>) =>
  JSON.stringify([r.day, r.source, r.medium, r.campaign]);

const addCounts = (a: number | null, b: number | null) =>
  a === null && b === null ? null : (a ?? 0) + (b ?? 0);

/** Rows of one import sharing a key, added up. */
function merge(rows: CheckedSpend[]): CheckedSpend[] {
  const byKey = new Map<string, CheckedSpend & { amountMicros: number }>();
  for (const row of rows) {
    const key = keyOf(row);
    const micros = Math.round(Number(row.amount) * 1_000_000);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...row, amountMicros: micros });
      continue;
    }
    seen.cost_micros += row.cost_micros;
    seen.impressions = addCounts(seen.impressions, row.impressions);
    seen.clicks = addCounts(seen.clicks, row.clicks);
    if (seen.currency === row.currency) seen.amountMicros += micros;
    else seen.currency = '';
  }
  return [...byKey.values()].map(({ amountMicros, ...row }) => ({
    ...row,
    amount: row.currency === '' ? String(row.cost_micros / 1_000_000) : String(amountMicros / 1_000_000),
    currency: row.currency,
  }));
}

const same = (stored: SpendRow, row: CheckedSpend, format: string) =>
  Number(stored.cost_micros) === row.cost_micros &&
  stored.amount === row.amount &&
  stored.currency === row.currency &&
  (stored.impressions === null ? null : Number(stored.impressions)) === row.impressions &&
  (stored.clicks === null ? null : Number(stored.clicks)) === row.clicks &&
  stored.format === format;

export async function importSpend(
  db: Kysely<Database>,
  config: SpendConfig,
  parsed: ParsedImport,
  now: number,
  /** Called as stored rows are compared and written: done of total distinct keys. */
  onProgress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  const refused: RefusedRow[] = [];
  const good: CheckedSpend[] = [];
  for (const { row, raw } of parsed.rows) {
    const checked = checkRow(raw, parsed.dates, config);
    if (checked.ok) good.push(checked.row);
    else refused.push({ row, ...checked.refusal });
  }
  // Mixed currencies under one key are stored in the reporting currency.
  const rows = merge(good).map((r) => (r.currency === '' ? { ...r, currency: config.currency } : r));
  const report: ImportReport = {
    format: parsed.format,
    currency: config.currency,
    rows: parsed.rows.length + parsed.skipped.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    cost: rows.reduce((sum, r) => sum + r.cost_micros, 0) / 1_000_000,
    refused,
    skipped: parsed.skipped,
  };
  if (rows.length === 0) return report;

  await db.transaction().execute(async (trx) => {
    const days = [...new Set(rows.map((r) => r.day))];
    const stored = new Map<string, SpendRow>();
    for (let i = 0; i < days.length; i += 500) {
      const found = await trx
        .selectFrom('spend')
        .selectAll()
        .where('day', 'in', days.slice(i, i + 500))
        .execute();
      for (const row of found) stored.set(keyOf(row), row);
    }
    const changed: CheckedSpend[] = [];
    for (const row of rows) {
      const before = stored.get(keyOf(row));
      if (!before) report.inserted++;
      else if (same(before, row, parsed.format)) {
        report.unchanged++;
        continue;
      } else report.updated++;
      changed.push(row);
    }
    onProgress?.(report.unchanged, rows.length);
    for (let i = 0; i < changed.length; i += 200) {
      await trx
        .insertInto('spend')
        .values(changed.slice(i, i + 200).map((r) => ({ ...r, format: parsed.format, imported_at: now })))
        .onConflict((oc) =>
          oc.columns(['day', 'source', 'medium', 'campaign']).doUpdateSet((eb) => ({
            cost_micros: eb.ref('excluded.cost_micros'),
            amount: eb.ref('excluded.amount'),
            currency: eb.ref('excluded.currency'),
            impressions: eb.ref('excluded.impressions'),
            clicks: eb.ref('excluded.clicks'),
            format: eb.ref('excluded.format'),
            imported_at: eb.ref('excluded.imported_at'),
          })),
        )
        .execute();
      onProgress?.(report.unchanged + Math.min(i + 200, changed.length), rows.length);
    }
  });
  return report;
}
