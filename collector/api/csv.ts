/**
 * CSV that spreadsheets open safely: RFC 4180 quoting, and cells that a spreadsheet would run as
 * a formula (starting with = + - @ in any width, a tab or a carriage return) prefixed with `'` — a trait or
 * UTM value is attacker-controlled text, and `=HYPERLINK(…)` must stay text.
 */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * ASCII = + - @, tab and CR, and their full-width (＝＋－＠) and small (﹦﹢﹣﹫) forms: some
 * spreadsheets (Excel with East Asian input settings) fold those to ASCII and run the formula.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // Numbers we produce are data, never formulas (a negative score stays a number).
  let text = String(value);
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (values: readonly CsvValue[]): string => `${values.map(csvCell).join(',')}\r\n`;
