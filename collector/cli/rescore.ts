/**
 * `npm run rescore` — recompute every contact's score and stage from the event log with the
 * current rules (same config and DATABASE_URL as the server), in small resumable batches that do
 * not hold up ingestion. Ctrl-C stops after the current batch; running again resumes.
 *
 *   npm run rescore                                  rescore everything (resumes a stopped run)
 *   npm run rescore -- --restart --batch 500         start over, 500 contacts per transaction
 *   npm run rescore -- --dry-run --rules new.json    backtest a draft ruleset, write nothing
 *   npm run rescore -- --dry-run --rules new.json --cost [--from 2026-03-01] [--to 2026-03-31]
 *                      [--model first_touch|last_touch|linear] [--group source|campaign]
 *                                                    cost per MQL under the live and the draft rules
 *   npm run rescore -- --explain <contact> [--as-of 2025-06-01] [--ruleset-version 3]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { GROUPS } from '../api/reports/cost-table';
import { draftCost } from '../api/reports/draft-cost';
import { formatDraftCost } from '../api/reports/draft-cost-format';
import { MODELS } from '../api/reports/touches';
import { systemClock } from '../clock';
import { ConfigError, loadConfig } from '../config';
import { runBacktest } from '../scoring/backtest-run';
import { formatBacktest } from '../scoring/core/backtest-format';
import { parseRuleset, type Ruleset, RulesetError } from '../scoring/core/rules';
import { scoreContactAsOf } from '../scoring/history';
import { rescoreAll } from '../scoring/rescore';
import { loadRuleset } from '../scoring/store';
import { createDatabase, type DatabaseHandle } from '../storage/database';
import { migrateToLatest } from '../storage/migrate';

const USAGE = `usage: npm run rescore -- [--batch N] [--restart]
       npm run rescore -- --dry-run --rules draft.json [--list N] [--json]
       npm run rescore -- --dry-run --rules draft.json --cost [--from DATE] [--to DATE] [--model M] [--group G] [--json]
       npm run rescore -- --explain <contact-id> [--as-of <date|ms>] [--ruleset-version N]`;

const options = {
  batch: { type: 'string' },
  restart: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  rules: { type: 'string' },
  list: { type: 'string' },
  json: { type: 'boolean' },
  explain: { type: 'string' },
  'as-of': { type: 'string' },
  'ruleset-version': { type: 'string' },
  cost: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  model: { type: 'string' },
  group: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

const positiveInt = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
};

/** A draft is a ruleset file, or a whole config file whose `scoring` is used. */
function readDraft(path: string): Ruleset {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read rules from ${path}: ${(error as Error).message}`);
  }
  const body =
    json && typeof json === 'object' && 'sites' in json ? (json as { scoring?: unknown }).scoring : json;
  return parseRuleset(body);
}

const progressBar = (label: string) =>
  new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} contacts | {eta_formatted} left`,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );

const DAY = 86_400_000;

/** `2026-03-01` (a bare `to` date includes that day) or ms since epoch, as the API reads them. */
function instant(value: string, name: string, endOfDay: boolean): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be a date (2026-03-01) or ms since epoch`);
  return endOfDay ? ms + DAY : ms;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

async function costOfDraft(
  database: DatabaseHandle,
  config: ReturnType<typeof loadConfig>,
  draft: Ruleset,
  values: Record<string, unknown>,
) {
  const to = values.to === undefined ? Date.now() : instant(values.to as string, 'to', true);
  const from = values.from === undefined ? to - 30 * DAY : instant(values.from as string, 'from', false);
  if (from >= to) throw new UsageError('--from must be before --to');
  const model = oneOf(values.model, 'model', MODELS, 'first_touch');
  const group = oneOf(values.group, 'group', GROUPS, 'source');
  const report = await draftCost(
    database.db,
    { from, to, sites: config.sites.map((s) => s.key) },
    config.spend,
    { live: config.scoring, draft },
    { model, group },
  );
  console.log(
    values.json ? JSON.stringify(report, null, 2) : formatDraftCost(report, values.rules as string),
  );
}

async function backtest(
  database: DatabaseHandle,
  config: ReturnType<typeof loadConfig>,
  values: Record<string, unknown>,
) {
  const current = config.scoring;
  if (typeof values.rules !== 'string') throw new UsageError('--dry-run needs --rules <draft.json>');
  const draft = readDraft(values.rules);
  if (values.cost) return costOfDraft(database, config, draft, values);
  const bar = progressBar('backtest');
  const report = await runBacktest(database.db, current, draft, {
    onStart: (total) => bar.start(total, 0),
    onBatch: (done) => bar.update(done),
  });
  bar.stop();
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else
    console.log(
      formatBacktest(report, values.rules, positiveInt(values.list as string | undefined, 'list', 50)),
    );
}

async function explain(database: DatabaseHandle, current: Ruleset, values: Record<string, unknown>) {
  const asOfText = values['as-of'] as string | undefined;
  const asOf =
    asOfText === undefined ? Date.now() : /^\d+$/.test(asOfText) ? Number(asOfText) : Date.parse(asOfText);
  if (!Number.isFinite(asOf)) throw new UsageError('--as-of must be a date (2025-06-01) or ms since epoch');
  const versionText = values['ruleset-version'] as string | undefined;
  const result = await scoreContactAsOf(database.db, values.explain as string, {
    asOf,
    current,
    ...(versionText ? { version: positiveInt(versionText, 'ruleset-version', 1) } : {}),
  });
  console.log(JSON.stringify(result, null, 2));
}

async function rescore(
  database: DatabaseHandle,
  config: ReturnType<typeof loadConfig>,
  values: Record<string, unknown>,
) {
  if (values.rules)
    throw new UsageError('--rules is for --dry-run; to apply rules, put them in the config file');
  const stored = await loadRuleset(database.db, config.scoring.version);
  if (stored && JSON.stringify(stored) !== JSON.stringify(config.scoring)) {
    console.warn(
      `warning: ruleset version ${config.scoring.version} was stored with different rules; ` +
        'bump scoring.version whenever the rules change so history stays explainable',
    );
  }
  let stop = false;
  process.once('SIGINT', () => {
    stop = true;
  });
  const bar = progressBar('rescore');
  const started = performance.now();
  const report = await rescoreAll(
    { db: database.db, config, clock: systemClock },
    {
      batchSize: positiveInt(values.batch as string | undefined, 'batch', 200),
      restart: values.restart === true,
      onStart: ({ total, done, resumed }) => {
        if (resumed) console.log(`resuming after ${done} contacts`);
        bar.start(total, done);
      },
      onBatch: ({ done }) => bar.update(done),
      shouldStop: () => stop,
    },
  );
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  const rate = (n: number) => Math.round(n / Math.max(seconds, 1e-6));
  console.log(
    `${report.complete ? 'rescored' : 'stopped after'} ${report.contacts} contacts, ${report.events} events in ` +
      `${seconds.toFixed(1)} s (${rate(report.contacts)} contacts/s, ${rate(report.events)} events/s), ` +
      `${report.transitions} stage transitions under ruleset v${config.scoring.version}` +
      (report.complete ? '' : '; run again to resume'),
  );
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options, allowPositionals: false });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const database = createDatabase(config.databaseUrl, { busyTimeoutMs: config.sqliteBusyTimeoutMs });
  try {
    await migrateToLatest(database.db);
    if (values.explain) await explain(database, config.scoring, values);
    else if (values['dry-run']) await backtest(database, config, values);
    else await rescore(database, config, values);
    return 0;
  } finally {
    // A referenced timer keeps the process alive while background helpers (the SQLite
    // checkpointer) shut down, and bounds the wait if one does not.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([database.close(), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof RulesetError) {
      console.error((error as Error).message);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(error instanceof UsageError ? 64 : 78);
    }
    console.error(error);
    process.exit(1);
  },
);
