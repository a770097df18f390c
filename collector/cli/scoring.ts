/**
 * `npm run scoring` — does the scoring work? Audits a ruleset against what happened to the
 * leads, and fits a draft ruleset from the same examples. Reads only (same config and
 * DATABASE_URL as the server).
 *
 *   npm run scoring -- audit [--outcome sql] [--horizon 30] [--from 2025-01-01] [--to …]
 *                            [--ruleset current|N|draft --rules draft.json]
 *                            [--target-precision 0.3 | --capacity-per-week 50] [--json]
 *   npm run scoring -- learn --outcome sql --horizon 30 [--candidates] [--out draft.json] [--json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { systemClock } from '../clock';
import { ConfigError, loadConfig } from '../config';
import { AppError } from '../errors';
import { auditWindow, parseAuditParams } from '../scoring/audit-params';
import { parseDraft, resolveRuleset } from '../scoring/audit-ruleset';
import { runAudit } from '../scoring/audit-run';
import { formatAudit } from '../scoring/core/audit/format';
import { learnDraft } from '../scoring/learn-run';
import { createDatabase } from '../storage/database';
import { migrateToLatest } from '../storage/migrate';

const USAGE = `usage: npm run scoring -- audit [--outcome sal|sql|opportunity|won] [--horizon DAYS] [--from DATE] [--to DATE]
                             [--ruleset current|VERSION|draft] [--rules draft.json]
                             [--target-precision P] [--capacity-per-week N] [--json]
       npm run scoring -- learn [--outcome …] [--horizon DAYS] [--from DATE] [--to DATE] [--candidates]
                             [--out draft.json] [--json]`;

const options = {
  outcome: { type: 'string' },
  horizon: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  ruleset: { type: 'string' },
  rules: { type: 'string' },
  'target-precision': { type: 'string' },
  'capacity-per-week': { type: 'string' },
  candidates: { type: 'boolean' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read rules from ${path}: ${(error as Error).message}`);
  }
}

const bar = (label: string) =>
  new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} contacts | {eta_formatted} left`,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );

function progress(label: string) {
  const b = bar(label);
  return {
    onStart: (total: number) => b.start(total, 0),
    onBatch: (done: number) => {
      b.update(done);
      if (done >= b.getTotal()) b.stop();
    },
    stop: () => b.stop(),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const command = positionals[0];
  if (values.help || (command !== 'audit' && command !== 'learn') || positionals.length > 1) {
    console.log(USAGE);
    return values.help ? 0 : 64;
  }
  const params = parseAuditParams({
    outcome: values.outcome,
    horizon_days: values.horizon,
    from: values.from,
    to: values.to,
    ruleset: values.ruleset ?? (values.rules && command === 'audit' ? 'draft' : undefined),
    target_precision: values['target-precision'],
    capacity_per_week: values['capacity-per-week'],
  });
  const config = loadConfig();
  const database = createDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const window = auditWindow(params, systemClock());
    const draft = values.rules ? parseDraft(readJson(values.rules)) : undefined;
    if (command === 'audit') {
      const rules = await resolveRuleset(database.db, config.scoring, params.ruleset, draft);
      const p = progress('audit');
      const started = performance.now();
      const report = (await runAudit(database.db, rules, window, p)).report();
      p.stop();
      console.log(values.json ? JSON.stringify(report, null, 2) : formatAudit(report));
      if (!values.json) console.error(`audit took ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    }
    const base = draft ?? config.scoring;
    const bars: ReturnType<typeof progress>[] = [];
    const result = await learnDraft(database.db, base, window, {
      candidates: values.candidates === true,
      progress: (step) => {
        const p = progress(step);
        bars.push(p);
        return p;
      },
    });
    for (const b of bars) b.stop();
    const text = JSON.stringify(result.draft, null, 2);
    if (values.out) writeFileSync(values.out, `${text}\n`);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      if (!values.out) console.log(text);
      const { current, draft: d } = result.audit;
      console.error(
        `current v${current.ruleset_version}: AUC ${current.auc ?? '–'}, precision ${current.precision ?? '–'} at ${current.mql_threshold}\n` +
          `draft   v${d.ruleset_version}: AUC ${d.auc ?? '–'}, precision ${d.precision ?? '–'} at ${d.mql_threshold}` +
          (values.out
            ? `\nwrote ${values.out}; try it: npm run rescore -- --dry-run --rules ${values.out}`
            : ''),
      );
    }
    return 0;
  } finally {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([database.close(), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof AppError || error instanceof ConfigError) {
      console.error((error as Error).message);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(
        error instanceof ConfigError ? 78 : error instanceof AppError && error.status === 422 ? 65 : 64,
      );
    }
    console.error(error);
    process.exit(1);
  },
);
