/**
 * `npm run bench:feed [-- --contacts 100000 --events-per-contact 10 --runs 60]`
 *
 * Builds a temp SQLite database with 100,000 contacts and 1,000,000 events (bulk-inserted with
 * prepared statements in a few big transactions), then times the first page of `/api/leads`
 * through the real app (`app.request`: routing, auth, validation, query, JSON) for each sort and
 * a few filters, plus a deep page reached by cursor. Prints p50/p99 in ms per query; the target
 * is a first page under 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { createApp } from '../collector/app';
import { createRandom } from '../collector/cli/simulate/random';
import { loadConfig } from '../collector/config';
import { createServices } from '../collector/server';
import type { Stage } from '../shared/stages';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '100000' },
    'events-per-contact': { type: 'string', default: '10' },
    runs: { type: 'string', default: '60' },
  },
});
const CONTACTS = Number(values.contacts);
const PER_CONTACT = Number(values['events-per-contact']);
const RUNS = Number(values.runs);
const SITE = 'pk_bench';
const KEY = 'sk_bench_0123456789abcdef';
const DAY = 86_400_000;
const NOW = Date.now();

// The simulator's generator, seeded, so every run measures the same data.
const rng = createRandom(7);
const random = rng.next;
const pick = rng.pick;

// Roughly a B2B site's mix: most contacts anonymous or plain leads, a thin qualified top.
const STAGE_MIX: [Stage, number][] = [
  ['visitor', 0.3],
  ['lead', 0.5],
  ['mql', 0.1],
  ['sal', 0.03],
  ['sql', 0.03],
  ['opportunity', 0.01],
  ['customer', 0.01],
  ['recycled', 0.015],
  ['disqualified', 0.005],
];
function stageOf(): Stage {
  let r = random();
  for (const [stage, share] of STAGE_MIX) {
    r -= share;
    if (r <= 0) return stage;
  }
  return 'lead';
}
const SOURCES = ['google', 'linkedin', 'newsletter', '(direct)', 'twitter', 'bing', 'partner'];
const CAMPAIGNS = ['spring_launch', 'webinar_q2', 'retargeting', null, null];
const PATHS = [
  '/',
  '/features',
  '/pricing',
  '/blog/',
  '/blog/scoring-101',
  '/whitepaper',
  '/demo',
  '/careers',
];
const DOMAINS = Array.from({ length: 5_000 }, (_, i) => `company${i}.com`);

function populate(file: string): { mqlDomain: string } {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const contactColumns = [
    'id',
    'site',
    'email',
    'user_id',
    'name',
    'company',
    'title',
    'domain',
    'traits',
    'stage',
    'score',
    'fit',
    'engagement',
    'grade',
    'temperature',
    'breakdown',
    'scored_at',
    'ruleset_version',
    'first_seen',
    'last_seen',
    'stage_changed_at',
    'mql_at',
    'sql_at',
    'first_touch',
    'last_touch',
    'source',
    'medium',
    'campaign',
    'verified',
    'created_at',
    'updated_at',
    'version',
  ];
  const insertContact = db.prepare(
    `insert into contacts (${contactColumns.join(',')}) values (${contactColumns.map(() => '?').join(',')})`,
  );
  const eventColumns = [
    'id',
    'site',
    'contact_id',
    'anon',
    'session',
    'type',
    'name',
    'ts',
    'received_at',
    'url',
    'path',
    'ref',
    'ref_kind',
    'title',
    'props',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'browser',
    'os',
    'device',
    'bot',
  ];
  const insertEvent = db.prepare(
    `insert into events (${eventColumns.join(',')}) values (${eventColumns.map(() => '?').join(',')})`,
  );
  const fill = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `c${i.toString(36).padStart(6, '0')}`;
      const stage = stageOf();
      const identified = stage !== 'visitor';
      const domain = identified && random() < 0.7 ? pick(DOMAINS) : null;
      const fit = identified ? Math.round(random() * 40 - 10) : 0;
      const engagement = Math.round(random() * 900) / 10;
      const firstSeen = NOW - Math.floor(random() * 90 * DAY);
      const lastSeen = firstSeen + Math.floor(random() * (NOW - firstSeen));
      const source = pick(SOURCES);
      insertContact.run(
        id,
        SITE,
        identified ? `person${i}@${domain ?? 'gmail.com'}` : null,
        null,
        identified ? `Person ${i}` : null,
        domain ? `Company ${domain.slice(7, -4)}` : null,
        null,
        domain,
        '{}',
        stage,
        fit + engagement,
        fit,
        engagement,
        identified ? pick(['A', 'B', 'C', 'D']) : null,
        pick(['hot', 'warm', 'cold']),
        '[]',
        lastSeen,
        1,
        firstSeen,
        lastSeen,
        firstSeen + Math.floor(random() * (lastSeen - firstSeen + 1)),
        null,
        null,
        null,
        null,
        source,
        source === '(direct)' ? '(none)' : 'referral',
        pick(CAMPAIGNS),
        0,
        firstSeen,
        lastSeen,
        1,
      );
      for (let e = 0; e < PER_CONTACT; e++) {
        const ts = firstSeen + Math.floor(((lastSeen - firstSeen) * e) / PER_CONTACT);
        const path = pick(PATHS);
        insertEvent.run(
          `${id}-${e}`,
          SITE,
          id,
          `a${id}`,
          `s${id}-${Math.floor(e / 3)}`,
          e === 5 && identified ? 'identify' : 'page',
          null,
          ts,
          ts,
          `https://bench.test${path}`,
          path,
          null,
          e % 3 === 0 ? 'search' : 'internal',
          'Page',
          path === '/pricing' ? '{"pricing":true}' : null,
          null,
          null,
          null,
          'Chrome',
          'macOS',
          'desktop',
          random() < 0.01 ? 1 : 0,
        );
      }
    }
  });
  const started = Date.now();
  for (let from = 0; from < CONTACTS; from += 10_000) {
    fill(from, Math.min(CONTACTS, from + 10_000));
    if (process.stdout.isTTY) {
      process.stdout.write(`\r  inserted ${Math.min(CONTACTS, from + 10_000).toLocaleString()} contacts`);
    }
  }
  const mql = db
    .prepare("select domain from contacts where stage = 'mql' and domain is not null limit 1")
    .get() as {
    domain: string;
  };
  db.close();
  console.log(
    `\r  inserted ${CONTACTS.toLocaleString()} contacts and ${(CONTACTS * PER_CONTACT).toLocaleString()} events in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { mqlDomain: mql.domain };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  // Holds the event loop open while the database's background checkpointer (an unref'd worker) stops.
  const keepAlive = setInterval(() => undefined, 1_000);
  const dir = mkdtempSync(join(tmpdir(), 'leadtrail-bench-feed-'));
  const file = join(dir, 'bench.db');
  try {
    const config = loadConfig({
      env: { PORT: '0', DATABASE_URL: file, LEADTRAIL_ADMIN_KEY: KEY, LEADTRAIL_DATA_DIR: dir },
      file: { sites: [{ key: SITE, origins: ['https://bench.test'] }] },
    });
    // Migrate first (the app's own schema and indexes), then bulk-load through a second connection.
    const services = await createServices(config);
    console.log(
      `bench:feed — ${CONTACTS.toLocaleString()} contacts, ${(CONTACTS * PER_CONTACT).toLocaleString()} events (SQLite)`,
    );
    const { mqlDomain } = populate(file);
    const app = createApp(services);
    const headers = { authorization: `Bearer ${KEY}` };
    const get = async (path: string) => {
      const res = await app.request(path, { headers });
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { leads: unknown[]; next_cursor: string | null };
    };

    // A cursor 20 pages deep, to show keyset pages cost the same anywhere in the feed.
    let deep = '';
    for (let page = 0; page < 20; page++) {
      const body = await get(`/api/leads?sort=score${deep ? `&cursor=${deep}` : ''}`);
      deep = body.next_cursor ?? '';
    }

    const queries = [
      '/api/leads?sort=score',
      '/api/leads?sort=last_activity',
      '/api/leads?sort=stage_changed',
      '/api/leads?sort=score&order=asc',
      '/api/leads?stage=mql',
      '/api/leads?stage=lead&sort=last_activity',
      '/api/leads?stage=lead,mql,sal&sort=score',
      '/api/leads?stage=sql,opportunity&sort=stage_changed',
      '/api/leads?min_score=60',
      '/api/leads?grade=A&temperature=hot&sort=last_activity',
      `/api/leads?account=${mqlDomain}`,
      '/api/leads?source=linkedin&campaign=webinar_q2',
      '/api/leads?campaign=no_such_campaign',
      '/api/leads?q=person4242',
      '/api/leads?q=company12',
      `/api/leads?sort=score&cursor=${deep}`,
    ];
    const rows: { query: string; rows: number; p50: number; p99: number }[] = [];
    for (const query of queries) {
      const times: number[] = [];
      let count = 0;
      for (let run = 0; run < RUNS + 5; run++) {
        const started = performance.now();
        const body = await get(query);
        const elapsed = performance.now() - started;
        if (run >= 5) times.push(elapsed); // the first runs warm the page cache
        count = body.leads.length;
      }
      times.sort((a, b) => a - b);
      rows.push({
        query: query.replace(/cursor=[\w-]+/, 'cursor=<page 21>'),
        rows: count,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
      });
    }
    await services.database.close();

    const width = Math.max(...rows.map((r) => r.query.length));
    console.log(`\n  ${'first page of'.padEnd(width)}  rows   p50 ms   p99 ms`);
    for (const r of rows) {
      console.log(
        `  ${r.query.padEnd(width)}  ${String(r.rows).padStart(4)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}`,
      );
    }
    const worst = rows.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const sorted = rows.slice(0, 3);
    console.log(
      `\nfeed: first page p50 ${Math.max(...sorted.map((r) => r.p50)).toFixed(1)} ms, p99 ${Math.max(...sorted.map((r) => r.p99)).toFixed(1)} ms (sorts); worst p99 ${worst.p99.toFixed(1)} ms (${worst.query}); target < 50 ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    clearInterval(keepAlive);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
