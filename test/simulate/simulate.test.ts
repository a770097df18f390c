/**
 * `npm run simulate` against a real collector (real HTTP server, real SQLite file): the journeys
 * land in the event log as the tracker would have sent them, a rerun with the same seed is
 * deduplicated, crawlers are flagged, and the funnel the simulator prints is the reports API's.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunnelCounts, fetchFunnel, formatFunnel } from '../../collector/cli/simulate/funnel';
import { runSimulation, type SimulationResult, seedDemoData } from '../../collector/cli/simulate/run';
import { STAGE_RANK } from '../../shared/stages';
import type { TestCollector } from '../helpers/server';
import { startDemoCollector } from './demo-collector';

const DAY = 86_400_000;
const VISITORS = 60;
const SEED = 7;

let collector: TestCollector;
let first: SimulationResult;
/** GET /api/reports/funnel right after the first run, before later tests add visitors. */
let firstReport: { status: number; counts: FunnelCounts };
let startedAt: number;

const readReport = async () => {
  const response = await collector.api('/api/reports/funnel');
  const body = response.status === 200 ? ((await response.json()) as { counts: FunnelCounts }) : null;
  return { status: response.status, counts: body?.counts ?? { visitors: 0, leads: 0, mqls: 0, sqls: 0 } };
};

/** The funnel's stage lines as printed, parsed back to numbers. */
const printedCounts = (text: string): FunnelCounts => {
  const count = (label: string) => Number(text.match(new RegExp(`^\\s*${label}\\s+(\\d+)\\b`, 'm'))?.[1]);
  return { visitors: count('visitors'), leads: count('leads'), mqls: count('MQLs'), sqls: count('SQLs') };
};

const counts = async () => {
  const db = collector.services.db;
  const events = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const contacts = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const stages = await db
    .selectFrom('contacts')
    .select(['stage', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('stage')
    .orderBy('stage')
    .execute();
  return {
    events: Number(events.n),
    contacts: Number(contacts.n),
    stages: stages.map((s) => `${s.stage}:${s.n}`),
  };
};

beforeAll(async () => {
  collector = await startDemoCollector();
  startedAt = Date.now();
  first = await runSimulation({
    url: collector.url,
    seed: SEED,
    visitors: VISITORS,
    days: 5,
    key: collector.adminKey,
  });
  firstReport = await readReport();
});

afterAll(async () => {
  await collector?.close();
});

describe('npm run simulate against a real collector', () => {
  it('stores every event it sends, and the same seed again is all duplicates', async () => {
    expect(first.events.sent).toBeGreaterThan(VISITORS);
    expect(first.events).toMatchObject({ accepted: first.events.sent, duplicates: 0, refused: 0 });
    const before = await counts();
    expect(before.events).toBe(first.events.sent);

    const again = await runSimulation({ url: collector.url, seed: SEED, visitors: VISITORS, days: 5 });
    expect(again.events).toEqual({
      sent: first.events.sent,
      accepted: 0,
      duplicates: first.events.sent,
      refused: 0,
    });
    expect(await counts()).toEqual(before);

    // Another seed is other people.
    const other = await runSimulation({ url: collector.url, seed: SEED + 1, visitors: 10, days: 5 });
    expect(other.events.accepted).toBe(other.events.sent);
    expect((await counts()).events).toBe(before.events + other.events.sent);
  });

  it('flags the crawlers as bots, and nobody else', async () => {
    const rows = await collector.services.db
      .selectFrom('events')
      .select(['bot', 'browser', 'anon'])
      .execute();
    const botAnons = new Set(rows.filter((r) => r.bot === 1).map((r) => r.anon));
    expect(botAnons.size).toBeGreaterThanOrEqual(first.journeys.bot);
    expect(first.journeys.bot).toBeGreaterThan(0);
    // A bot's every event is flagged; no person's is.
    for (const row of rows) expect(row.bot).toBe(botAnons.has(row.anon) ? 1 : 0);
  });

  it('leaves the journeys in the event log: pricing views, downloads, sign-ups, demo requests, chat, careers', async () => {
    const rows = await collector.services.db
      .selectFrom('events')
      .select(['type', 'name', 'path', 'props', 'utm_source', 'ref_kind', 'ts', 'contact_id', 'user'])
      .where('bot', '=', 0)
      .execute();
    const named = (name: string) => rows.filter((r) => r.name === name);
    const pricing = rows.filter((r) => r.type === 'page' && JSON.parse(r.props ?? '{}').pricing === true);
    expect(pricing.length).toBeGreaterThan(5);
    expect(pricing.every((r) => r.path === '/pricing')).toBe(true);
    expect(named('download').some((r) => JSON.parse(r.props!).url.endsWith('/files/whitepaper.pdf'))).toBe(
      true,
    );
    expect(new Set(named('form_submit').map((r) => JSON.parse(r.props!).form))).toEqual(
      new Set(['newsletter', 'whitepaper-form']),
    );
    expect(named('demo_requested').length).toBeGreaterThan(0);
    expect(new Set(named('chat').map((r) => JSON.parse(r.props!).action))).toEqual(
      new Set(['open', 'message', 'email']),
    );
    expect(rows.some((r) => r.path === '/careers')).toBe(true);
    expect(rows.filter((r) => r.type === 'identify').every((r) => r.user?.includes('@'))).toBe(true);
    // Campaigns and referrer kinds the attribution reports read.
    const sources = new Set(rows.map((r) => r.utm_source));
    for (const source of ['google', 'linkedin', 'newsletter', 'cloudwarehouse'])
      expect(sources).toContain(source);
    const kinds = new Set(rows.map((r) => r.ref_kind).filter(Boolean));
    for (const kind of ['search', 'direct', 'internal']) expect(kinds).toContain(kind);
    // Spread over the past days, inside the acceptance window.
    const ages = rows.map((r) => startedAt - r.ts);
    expect(Math.max(...ages)).toBeGreaterThan(2 * DAY);
    expect(Math.max(...ages)).toBeLessThan(5 * DAY);
    expect(Math.min(...ages)).toBeGreaterThan(-60_000);
  });

  it('turns the journeys into leads, MQLs and SQLs', async () => {
    const stages = await collector.services.db
      .selectFrom('contacts')
      .select(['stage', 'email'])
      .where('email', 'is not', null)
      .execute();
    const at = (stage: string) => stages.filter((s) => s.stage === stage).length;
    expect(at('lead')).toBeGreaterThan(0);
    expect(at('mql')).toBeGreaterThan(0);
    expect(at('sql')).toBeGreaterThanOrEqual(first.journeys.demo_request);
  });

  it('prints the funnel of GET /api/reports/funnel', (ctx) => {
    // Needs the reports API (another part of the collector): skipped at run time only while it answers 404.
    if (firstReport.status === 404) ctx.skip();
    expect(firstReport.status).toBe(200);
    expect(first.funnel?.source).toBe('reports');
    expect(first.funnel?.counts).toEqual(firstReport.counts);
    expect(printedCounts(formatFunnel(first.funnel!))).toEqual(firstReport.counts);
    // People, not crawlers; and every demo request is an SQL.
    expect(firstReport.counts.visitors).toBe(VISITORS - first.journeys.bot);
    expect(firstReport.counts.sqls).toBeGreaterThanOrEqual(first.journeys.demo_request);
    expect(firstReport.counts.mqls).toBeGreaterThanOrEqual(firstReport.counts.sqls);
  });

  it('falls back to counting the lead feed when the collector has no reports API', async () => {
    // A proxy in front of the real collector that answers 404 for the reports, as an older collector would.
    const proxy = createServer(async (req, res) => {
      if (req.url?.startsWith('/api/reports/')) {
        res.writeHead(404).end();
        return;
      }
      const upstream = await fetch(`${collector.url}${req.url}`, {
        headers: { authorization: req.headers.authorization ?? '' },
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
    });
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      const funnel = await fetchFunnel(
        `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        collector.adminKey,
      );
      const stages = await collector.services.db.selectFrom('contacts').select('stage').execute();
      const reached = (rank: number) => stages.filter((c) => STAGE_RANK[c.stage] >= rank).length;
      expect(funnel).toEqual({
        source: 'leads',
        counts: {
          visitors: stages.length,
          leads: reached(STAGE_RANK.lead),
          mqls: reached(STAGE_RANK.mql),
          sqls: reached(STAGE_RANK.sql),
        },
      });
      expect(formatFunnel(funnel)).toContain('approximate');
    } finally {
      await new Promise((done) => proxy.close(done));
    }
  });

  it('runs as a CLI: progress off when piped, summary and funnel on stdout, same seed deduplicated', async () => {
    const run = promisify(execFile);
    const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
    const { stdout, stderr } = await run(
      tsx,
      [
        'collector/cli/simulate.ts',
        '--url',
        collector.url,
        '--seed',
        String(SEED),
        '--visitors',
        String(VISITORS),
        '--days',
        '5',
        '--key',
        collector.adminKey,
      ],
      { cwd: resolve(import.meta.dirname, '../..'), env: { ...process.env, LEADTRAIL_ADMIN_KEY: '' } },
    );
    expect(stderr).not.toMatch(/visitors \S*█/);
    expect(stdout).toContain(`Simulated ${VISITORS} visitors (seed ${SEED})`);
    expect(stdout).toContain(`0 stored, ${first.events.sent} duplicates`);
    const report = await readReport();
    if (report.status === 200) {
      expect(stdout).toContain('Funnel (GET /api/reports/funnel');
      expect(printedCounts(stdout)).toEqual(report.counts);
    } else {
      expect(stdout).toContain('Funnel (approximate, from GET /api/leads');
    }
  });

  it('refuses bad options with a message, and explains an origin the site does not allow', async () => {
    await expect(runSimulation({ url: collector.url, days: 9 })).rejects.toThrow(/days must be/);
    await expect(runSimulation({ url: 'not a url' })).rejects.toThrow(/not a URL/);
    await expect(
      runSimulation({ url: collector.url, visitors: 1, origin: 'https://evil.example' }),
    ).rejects.toThrow(/403.*allowed origins must include https:\/\/evil\.example/s);
  });
});

describe('seedDemoData (npm start -- --demo-data)', () => {
  it('fills a fresh collector with a dashboard-worthy story, and a second seeding adds nothing', async () => {
    const fresh = await startDemoCollector();
    try {
      const seeded = await seedDemoData(fresh.url, fresh.adminKey);
      expect(seeded.visitors).toBe(200);
      expect(seeded.events.refused).toBe(0);
      const { counts } = seeded.funnel!;
      expect(counts.visitors).toBeGreaterThan(150);
      expect(counts.leads).toBeGreaterThan(counts.mqls);
      expect(counts.mqls).toBeGreaterThan(counts.sqls);
      expect(counts.sqls).toBeGreaterThan(0);
      const feed = (await (await fresh.api('/api/leads?stage=sql&limit=100')).json()) as { leads: unknown[] };
      expect(feed.leads.length).toBe(counts.sqls);

      const again = await seedDemoData(fresh.url, fresh.adminKey);
      expect(again.events.accepted).toBe(0);
      expect(again.funnel?.counts).toEqual(counts);
    } finally {
      await fresh.close();
    }
  });
});
