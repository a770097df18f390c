/**
 * `npm run simulate`: realistic visitor journeys against a running collector, then the funnel.
 *
 *   npm run simulate -- --visitors 300 --seed 7 --days 6 --url http://localhost:8787
 *   npm run simulate -- --browser --visitors 20      (through the real demo site in Chromium)
 *
 * The same seed sends the same event ids, so a rerun is deduplicated by the collector.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { formatFunnel } from './simulate/funnel';
import { JOURNEYS } from './simulate/journeys';
import { runSimulation, SIMULATION_DEFAULTS, type SimulationResult } from './simulate/run';
import { SimulationError } from './simulate/send';

export { runSimulation, seedDemoData } from './simulate/run';

const USAGE = `Usage: npm run simulate -- [options]

  --url URL          collector base URL (default http://localhost:8787)
  --visitors N       visitors to simulate (default ${SIMULATION_DEFAULTS.visitors})
  --seed N           random seed; the same seed sends the same events (default ${SIMULATION_DEFAULTS.seed})
  --days N           spread visits over the past N days, at most 7 (default ${SIMULATION_DEFAULTS.days})
  --key KEY          secret API key for the funnel (default LEADTRAIL_ADMIN_KEY, else ./data/admin-key)
  --site KEY         public site key (default ${SIMULATION_DEFAULTS.site})
  --origin ORIGIN    Origin header of the beacons (default: the collector's own origin)
  --concurrency N    visitors in flight at once (default ${SIMULATION_DEFAULTS.concurrency}; 2 with --browser)
  --browser          walk the real demo site in headless Chromium (real time, random ids)
  --no-funnel        do not read the funnel afterwards
  -h, --help         this help`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new SimulationError(`--${name} must be an integer, got "${value}"`);
  return n;
}

/** The admin key: --key, else LEADTRAIL_ADMIN_KEY, else the demo key `npm start` stored. */
function adminKey(explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  if (process.env.LEADTRAIL_ADMIN_KEY) return process.env.LEADTRAIL_ADMIN_KEY;
  const file = resolve(process.env.LEADTRAIL_DATA_DIR ?? './data', 'admin-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export function formatSummary(result: SimulationResult, url: string): string {
  const { events } = result;
  const when = result.mode === 'browser' ? 'in Chromium, in real time' : `over the past ${result.days} days`;
  const journeys = Object.entries(result.journeys)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `  ${String(n).padStart(5)}  ${JOURNEYS[kind as keyof typeof JOURNEYS].label}`);
  return [
    `Simulated ${result.visitors} visitors (seed ${result.seed}) ${when} → ${url}`,
    ...journeys,
    `  ${result.batches} batches, ${events.sent} events: ${events.accepted} stored, ${events.duplicates} duplicates, ${events.refused} refused (${(result.elapsedMs / 1000).toFixed(1)} s)`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://localhost:8787' },
      visitors: { type: 'string' },
      seed: { type: 'string' },
      days: { type: 'string' },
      key: { type: 'string' },
      site: { type: 'string' },
      origin: { type: 'string' },
      concurrency: { type: 'string' },
      browser: { type: 'boolean', default: false },
      'no-funnel': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const days = values.days === undefined ? SIMULATION_DEFAULTS.days : Number(values.days);
  if (!Number.isFinite(days)) throw new SimulationError(`--days must be a number, got "${values.days}"`);
  const key = values['no-funnel'] ? undefined : adminKey(values.key);
  const visitors = integer('visitors', values.visitors, SIMULATION_DEFAULTS.visitors);

  // The bar goes to stderr and only to a terminal, so piped output stays clean.
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: 'visitors {bar} {value}/{total} · {journey}', stream: process.stderr, hideCursor: true },
        Presets.shades_classic,
      )
    : null;
  bar?.start(visitors, 0, { journey: '' });
  let result: SimulationResult;
  try {
    result = await runSimulation({
      url: values.url,
      visitors,
      seed: integer('seed', values.seed, SIMULATION_DEFAULTS.seed),
      days,
      key,
      browser: values.browser,
      ...(values.site ? { site: values.site } : {}),
      ...(values.origin ? { origin: values.origin } : {}),
      ...(values.concurrency ? { concurrency: integer('concurrency', values.concurrency, 4) } : {}),
      onProgress: (done, _total, plan) => bar?.update(done, { journey: JOURNEYS[plan.kind].label }),
    });
  } finally {
    bar?.stop();
  }
  console.log(formatSummary(result, values.url));
  console.log('');
  if (result.funnel) console.log(formatFunnel(result.funnel));
  else if (!values['no-funnel'])
    console.log('No admin key (--key, LEADTRAIL_ADMIN_KEY or ./data/admin-key): funnel not read.');
  return 0;
}

const entry = process.argv[1] ? resolve(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      if (
        error instanceof SimulationError ||
        (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ) {
        console.error(`simulate: ${(error as Error).message}`);
        process.exit(2);
      }
      console.error(error);
      process.exit(1);
    },
  );
}
