/**
 * `npm run spend -- import <file.csv>` — import a cost export (Google Ads, LinkedIn Campaign
 * Manager, Meta Ads Manager, or the generic columns) into the database the server uses (same
 * config and DATABASE_URL), with a progress bar and a line-by-line account of refused rows.
 * Importing the same file again changes nothing.
 *
 *   npm run spend -- import spend.csv
 *   npm run spend -- import google-ads.csv --currency EUR     (a file without a currency column)
 *   npm run spend -- import spend.json                        (a JSON array of rows)
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { ConfigError, loadConfig } from '../config';
import { decodeExport } from '../spend/csv';
import {
  ImportError,
  type ImportReport,
  importSpend,
  parseCsvImport,
  parseJsonImport,
} from '../spend/import';
import { createDatabase } from '../storage/database';
import { migrateToLatest } from '../storage/migrate';

const USAGE = `usage: npm run spend -- import <file.csv|file.json> [--currency EUR] [--json]`;

/** The CLI reads files up to 200 MB (the API takes 4 MB). */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

class UsageError extends Error {}

const options = {
  currency: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function formatImport(report: ImportReport, file: string): string {
  const lines = [
    `${file}: ${report.format} format, ${report.rows} rows — ${report.inserted} inserted, ` +
      `${report.updated} updated, ${report.unchanged} unchanged, ${report.refused.length} refused, ` +
      `${report.skipped.length} skipped; ${report.cost.toFixed(2)} ${report.currency} accepted`,
  ];
  for (const r of report.refused) lines.push(`  line ${r.row}: refused: ${r.field}: ${r.reason}`);
  for (const s of report.skipped) lines.push(`  line ${s.row}: skipped: ${s.reason}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, file, ...rest] = positionals;
  if (command !== 'import' || !file || rest.length > 0) throw new UsageError('expected: import <file>');
  const currency = values.currency?.toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw new UsageError('--currency must be a code like EUR');
  }
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) throw new UsageError(`${file} is larger than 200 MB`);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const text = decodeExport(bytes);
  const parsed = /^\s*\[/.test(text.slice(0, 100))
    ? parseJsonImport(JSON.parse(text))
    : parseCsvImport(text, currency);

  const config = loadConfig();
  const database = createDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const bar = new SingleBar(
      { format: 'spend [{bar}] {percentage}% | {value}/{total} rows', hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    const report = await importSpend(database.db, config.spend, parsed, Date.now(), (done, total) => {
      if (values.json) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    });
    if (started) bar.stop();
    console.log(values.json ? JSON.stringify(report, null, 2) : formatImport(report, file));
    return report.refused.length > 0 ? 2 : 0;
  } finally {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([database.close(), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ImportError || error instanceof SyntaxError) {
      console.error((error as Error).message);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(64);
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    console.error(error);
    process.exit(1);
  },
);
