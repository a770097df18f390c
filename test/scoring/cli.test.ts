/**
 * `npm run rescore` as a user runs it: a separate process reading the same config file and
 * DATABASE_URL as the server, beside a running collector.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { identifyEvent, pageView, trackEvent } from '../helpers/events';
import { startCollector, TEST_ADMIN_KEY, type TestCollector, testConfigFile } from '../helpers/server';
import { contactByEmail, type ManualClock, send } from './live';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
const DAY = 86_400_000;

describe('npm run rescore', () => {
  let collector: TestCollector;
  let clock: ManualClock;
  let env: NodeJS.ProcessEnv;

  const rescore = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(TSX, ['collector/cli/rescore.ts', ...args], {
        env,
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    clock = manualClock(Date.now());
    collector = await startCollector({ clock, workers: false });
    const configPath = join(collector.dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(testConfigFile()));
    env = {
      ...process.env,
      DATABASE_URL: collector.databaseUrl,
      LEADTRAIL_CONFIG: configPath,
      LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY,
      LEADTRAIL_DATA_DIR: collector.dir,
    };
    const now = clock();
    // One MQL (pricing twice, whitepaper, newsletter), one plain lead, one anonymous visitor.
    await send(collector, clock, [
      pageView('m', 'https://www.example.com/pricing', {
        ts: now - 3 * DAY,
        session: 'm1',
        props: { pricing: true },
      }),
      trackEvent('m', 'download', {}, { ts: now - 3 * DAY, session: 'm1' }),
      pageView('m', 'https://www.example.com/pricing', {
        ts: now - DAY,
        session: 'm2',
        props: { pricing: true },
      }),
      trackEvent('m', 'form_submit', {}, { ts: now - DAY, session: 'm2' }),
      identifyEvent('m', 'alan@turing-machines.com', {}, { ts: now - DAY + 1, session: 'm2' }),
      identifyEvent('l', 'kate@lovelace-analytics.com', {}, { ts: now - DAY, session: 'l1' }),
      pageView('v', 'https://www.example.com/', { ts: now - DAY, session: 'v1' }),
    ]);
    expect((await contactByEmail(collector, 'alan@turing-machines.com')).stage).toBe('mql');
  });
  afterAll(async () => {
    await collector?.close();
  });

  it('--dry-run --rules backtests a draft and lists who would change stage, writing nothing', async () => {
    const draft = join(collector.dir, 'draft.json');
    writeFileSync(draft, JSON.stringify({ version: 2, mql_threshold: 500 }));
    const before = await collector.services.db.selectFrom('contacts').selectAll().orderBy('id').execute();
    const { code, stdout } = await rescore('--dry-run', '--rules', draft);
    expect(code).toBe(0);
    expect(stdout).toContain('Backtest over 3 contacts');
    expect(stdout).toMatch(/MQLs\s+1\s+0/);
    expect(stdout).toContain('1 contacts would change stage');
    expect(stdout).toContain('mql → lead: 1');
    expect(stdout).toContain('alan@turing-machines.com  mql → lead');
    expect(await collector.services.db.selectFrom('contacts').selectAll().orderBy('id').execute()).toEqual(
      before,
    );
  });

  it('rescoring prints its rate; a bad draft is refused naming the rule; --rules alone is a usage error', async () => {
    const done = await rescore('--batch', '2');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      /rescored 3 contacts, 7 events in [\d.]+ s \(\d+ contacts\/s, \d+ events\/s\), 0 stage transitions under ruleset v1/,
    );

    const bad = join(collector.dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ engagement: [{ id: 'webinar', match: { name: 'webinar' }, points: 'lots' }] }),
    );
    const refused = await rescore('--dry-run', '--rules', bad);
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain('scoring.engagement.0.points: rule "webinar"');

    const usage = await rescore('--rules', bad);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain('--rules is for --dry-run');
  }, 90_000); // three CLI processes, each compiling TypeScript at start

  it('--explain prints a contact breakdown as of a date', async () => {
    const contact = await contactByEmail(collector, 'alan@turing-machines.com');
    const { code, stdout, stderr } = await rescore(
      '--explain',
      contact.id,
      '--as-of',
      String(clock() - 2 * DAY),
    );
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { total: number; breakdown: { rule: string }[] };
    expect(result.breakdown.map((l) => l.rule)).toEqual(['page_view', 'pricing_view', 'download']);
  });
});
