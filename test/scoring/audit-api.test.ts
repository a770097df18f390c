/**
 * The audit and the learner over a real database: contacts and events with planted effects,
 * outcomes imported through `POST /api/outcomes` (which move stages), then `GET /api/scoring/audit`
 * (read key) must give the very JSON the pure audit gives on the same contacts, byte for byte;
 * bad parameters are 4xx naming the field; `POST /api/scoring/learn` returns a draft in the
 * ruleset format that audits beside the current one, or refuses with too few positives. On
 * SQLite also through `npm run scoring` and into `npm run rescore -- --dry-run`.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditInMemory } from '../../collector/scoring/core/audit/run';
import { parseRuleset } from '../../collector/scoring/core/rules';
import {
  startCollector,
  TEST_ADMIN_KEY,
  TEST_DATABASES,
  TEST_READ_KEY,
  type TestCollector,
  testConfigFile,
} from '../helpers/server';
import { DAY, END, plantedContacts, plantedRuleset, START } from './audit/planted';
import { seedPlanted } from './audit/seed-db';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
const RULES = plantedRuleset();
const WINDOW = { outcome: 'sql' as const, horizonDays: 30, from: START + 14 * DAY, to: END };
const QUERY = `outcome=sql&horizon_days=30&from=${WINDOW.from}&to=${new Date(WINDOW.to).toISOString()}`;

describe.each(TEST_DATABASES)('scoring audit API on %s', (db) => {
  let server: TestCollector;
  const contacts = plantedContacts(1500, 31);

  beforeAll(async () => {
    server = await startCollector({ db, workers: false, file: { scoring: RULES } });
    await seedPlanted(server, contacts);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const get = async (query: string, key = TEST_READ_KEY) => {
    const response = await server.api(`/api/scoring/audit?${query}`, { key });
    return { status: response.status, text: await response.text() };
  };

  it('answers a read key with exactly the pure audit of the same contacts', async () => {
    const { status, text } = await get(QUERY);
    expect(status).toBe(200);
    expect(text).toBe(JSON.stringify(auditInMemory(RULES, contacts, WINDOW).report()));
    const report = JSON.parse(text);
    expect(report.rules.find((r: { id: string }) => r.id === 'webinar').verdict).toBe('predictive');
    expect((await get(QUERY)).text).toBe(text);
  });

  it('refuses bad parameters naming them', async () => {
    for (const [query, field] of [
      ['outcome=revenue', 'outcome'],
      ['horizon_days=0', 'horizon_days'],
      ['horizon_days=abc', 'horizon_days'],
      ['from=yesterday', 'from'],
      [`from=${WINDOW.to}&to=${WINDOW.to}`, 'from'],
      ['target_precision=2', 'target_precision'],
      ['colour=red', 'colour'],
      ['ruleset=draft', 'ruleset'],
    ] as const) {
      const { status, text } = await get(query);
      expect(status, query).toBe(400);
      expect(JSON.parse(text).error.field, query).toBe(field);
    }
    expect((await get('ruleset=77')).status).toBe(404);
  });

  it('audits a draft sent as the body, and refuses a bad one', async () => {
    const draft = plantedRuleset({ blog: 40 }, 9);
    const response = await server.api(`/api/scoring/audit?${QUERY}`, {
      method: 'POST',
      body: JSON.stringify(draft),
      key: TEST_READ_KEY,
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      ruleset_version: number;
      rules: { id: string; points: number }[];
    };
    expect(report.ruleset_version).toBe(9);
    expect(report.rules.find((r) => r.id === 'blog')!.points).toBe(40);
    const bad = await server.api(`/api/scoring/audit?${QUERY}`, {
      method: 'POST',
      body: '{"mql_threshold":"high"}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/mql_threshold/);
  });

  it('learns a draft in the ruleset format (full key), placed at the recommended cut, audited beside the current one', async () => {
    expect(
      (await server.api(`/api/scoring/learn?${QUERY}`, { method: 'POST', key: TEST_READ_KEY })).status,
    ).toBe(403);
    const response = await server.api(`/api/scoring/learn?${QUERY}&candidates=true`, { method: 'POST' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      draft: unknown;
      audit: { current: { auc: number }; draft: { auc: number; mql_threshold: number } };
    };
    const draft = parseRuleset(result.draft);
    expect(draft.version).toBe(RULES.version + 1);
    expect(draft.learned!.points_to_double_odds).toBe(10);
    expect(draft.engagement.some((r) => r.id.startsWith('cand_path_docs'))).toBe(true);
    expect(draft.mql_threshold).toBe(result.audit.draft.mql_threshold);
    expect(result.audit.draft.auc).toBeGreaterThan(result.audit.current.auc);
  });

  it('refuses to learn from fewer than 20 positives with a clear message', async () => {
    const early = `outcome=won&horizon_days=30&from=${START}&to=${START + 60 * DAY}`;
    const response = await server.api(`/api/scoring/learn?${early}`, { method: 'POST' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('insufficient_data');
    expect(body.error.message).toMatch(/at least 20 positive examples and found 0/);
  });

  it('refuses a draft body over the limit', async () => {
    // Last of the HTTP tests: the server answers 413 without reading on and closes the connection.
    const big = await server.api(`/api/scoring/audit?${QUERY}`, {
      method: 'POST',
      body: `{"x":"${'a'.repeat(1_100_000)}"}`,
    });
    expect(big.status).toBe(413);
  });

  it.runIf(db === 'sqlite')(
    'npm run scoring -- audit --json prints the same report; learn --out writes a draft that rescore --dry-run accepts',
    async () => {
      const configPath = join(server.dir, 'config.json');
      writeFileSync(configPath, JSON.stringify(testConfigFile({ file: { scoring: RULES } })));
      const env = {
        ...process.env,
        DATABASE_URL: server.databaseUrl,
        LEADTRAIL_CONFIG: configPath,
        LEADTRAIL_ADMIN_KEY: TEST_ADMIN_KEY,
        LEADTRAIL_DATA_DIR: server.dir,
      };
      const args = [
        '--outcome',
        'sql',
        '--horizon',
        '30',
        '--from',
        String(WINDOW.from),
        '--to',
        String(WINDOW.to),
      ];
      const audit = await run(TSX, ['collector/cli/scoring.ts', 'audit', ...args, '--json'], {
        env,
        timeout: 120_000,
      });
      expect(JSON.parse(audit.stdout)).toEqual(JSON.parse((await get(QUERY)).text));
      const out = join(server.dir, 'draft.json');
      await run(TSX, ['collector/cli/scoring.ts', 'learn', ...args, '--out', out], { env, timeout: 120_000 });
      expect(parseRuleset(JSON.parse(readFileSync(out, 'utf8'))).learned!.outcome).toBe('sql');
      const backtest = await run(TSX, ['collector/cli/rescore.ts', '--dry-run', '--rules', out], {
        env,
        timeout: 120_000,
      });
      expect(backtest.stdout).toContain('Backtest over 1500 contacts');
    },
    300_000,
  );
});
