/**
 * `npm run bench:score [-- --contacts 100000 --events-per-contact 10 --updates 2000]`
 *
 * Generates a data set (100,000 contacts, 1,000,000 events by default: page views with pricing
 * and careers pages, downloads, chat, forms, identifies, a few demo requests and 1 % bot
 * traffic over the last 210 days, so 26 weekly cutoffs each see part of it) and measures:
 *   1. the pure core alone, in memory (score + lifecycle for every contact);
 *   2. a full rescore of a temp SQLite file through the same code as `npm run rescore`
 *      (lock, load the log, score, write, record transitions; 500 contacts per transaction);
 *   3. the incremental update of the live path: insert one event and re-score its contact in
 *      its own transaction;
 *   4. a scan: a plain SELECT of the scoring columns of every event through the same driver,
 *      the floor for anything that replays the log;
 *   5. the scoring audit over 26 weekly cutoffs (outcome sql, 30-day horizon).
 * Ends with `scan: N rows/s`, `audit: N s` and `rescore: N events/s`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { createRandom } from '../collector/cli/simulate/random';
import { loadConfig } from '../collector/config';
import { enqueueWebhooks } from '../collector/outbox/enqueue';
import { advanceLifecycle, scoreContacts } from '../collector/scoring/apply';
import { runAudit } from '../collector/scoring/audit-run';
import type { ScoringEvent, ScoringProfile } from '../collector/scoring/core/events';
import { automaticTransitions } from '../collector/scoring/core/lifecycle';
import { score } from '../collector/scoring/core/score';
import { rescoreAll } from '../collector/scoring/rescore';
import { SCORING_COLUMNS } from '../collector/scoring/rows';
import { createDatabase, writeTransaction } from '../collector/storage/database';
import { migrateToLatest } from '../collector/storage/migrate';
import type { Props } from '../shared/events';
import type { Stage } from '../shared/stages';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '100000' },
    'events-per-contact': { type: 'string', default: '10' },
    updates: { type: 'string', default: '2000' },
  },
});
const CONTACTS = Number(values.contacts);
const EVENTS = CONTACTS * Number(values['events-per-contact']);
const UPDATES = Number(values.updates);
const SITE = 'pk_bench';
const DAY = 86_400_000;
const NOW = Date.now();
const SPAN_DAYS = 210;
const CUTOFFS = 26;
const HORIZON_DAYS = 30;

// The simulator's generator, seeded, so every run scores the same data.
const rng = createRandom(42);
const random = rng.next;
const pick = rng.pick;

interface Contact {
  id: string;
  email: string | null;
  domain: string | null;
  traits: Props;
  events: ScoringEvent[];
}

const PATHS = ['/', '/features', '/blog/', '/blog/launch', '/docs/start', '/customers', '/about'];
const TITLES = [
  'VP Marketing',
  'Head of Growth',
  'Marketing Manager',
  'Engineer',
  'Student',
  'CTO',
  'Analyst',
];
const SIZES = [10, 45, 120, '51-200', '201-1000', 2500, '1000+'];

/** Every event built with the same keys in the same order, as rows from the database are. */
const event = (
  id: string,
  ts: number,
  session: string,
  type: string,
  name: string | null = null,
  path: string | null = '/',
  props: Props | null = null,
  traits: Props | null = null,
  user: string | null = null,
): ScoringEvent => ({ id, type, name, ts, session, path, props, traits, user, bot: false });

function makeEvent(
  id: string,
  ts: number,
  session: string,
  kind: number,
  email: string | null,
): ScoringEvent {
  if (kind < 0.55) return event(id, ts, session, 'page', null, pick(PATHS));
  if (kind < 0.68) return event(id, ts, session, 'page', null, '/pricing', { pricing: true });
  if (kind < 0.7) return event(id, ts, session, 'page', null, '/careers');
  if (kind < 0.78) return event(id, ts, session, 'track', 'download', '/', { href: '/whitepaper.pdf' });
  if (kind < 0.86)
    return event(id, ts, session, 'track', 'chat', '/', { action: pick(['open', 'message', 'email']) });
  if (kind < 0.92) return event(id, ts, session, 'track', 'form_submit', '/', { form: 'newsletter' });
  if (kind < 0.925) return event(id, ts, session, 'track', 'demo_requested');
  if (email) return event(id, ts, session, 'identify', null, '/', null, { title: pick(TITLES) }, email);
  return event(id, ts, session, 'page', null, pick(PATHS));
}

function generate(): Contact[] {
  const contacts: Contact[] = [];
  let eventId = 0;
  for (let i = 0; i < CONTACTS; i++) {
    const identified = random() < 0.35;
    const free = random() < 0.3;
    const domain = identified && !free ? `company${Math.floor(random() * CONTACTS * 0.2)}.com` : null;
    const email = identified ? `person${i}@${free ? 'gmail.com' : domain}` : null;
    contacts.push({
      id: `c${String(i).padStart(7, '0')}`,
      email,
      domain,
      traits: identified ? { title: pick(TITLES), company_size: pick(SIZES) } : {},
      events: [],
    });
  }
  // Spread EVENTS over the contacts unevenly (a few very active people, many light ones).
  for (let n = 0; n < EVENTS; n++) {
    const r = random();
    const contact = contacts[Math.floor(r * r * CONTACTS)]!;
    const sessionDay = Math.floor(random() * SPAN_DAYS);
    const ts = NOW - sessionDay * DAY - Math.floor(random() * 3_600_000);
    const made = makeEvent(
      `e${(eventId++).toString(36).padStart(8, '0')}`,
      ts,
      `${contact.id}-${sessionDay}`,
      random(),
      contact.email,
    );
    if (random() < 0.01) made.bot = true;
    contact.events.push(made);
  }
  return contacts;
}

const seconds = (start: number) => (performance.now() - start) / 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function benchPure(
  contacts: Contact[],
  rules = loadConfig({
    env: { LEADTRAIL_ADMIN_KEY: 'sk_bench_0123456789abcdef', LEADTRAIL_DATA_DIR: tmpdir() },
  }).scoring,
) {
  const start = performance.now();
  let transitions = 0;
  for (const contact of contacts) {
    const profile: ScoringProfile = { email: contact.email, user_id: null, traits: contact.traits };
    const result = score(contact.events, profile, rules, NOW);
    const stage: Stage = contact.email ? 'lead' : 'visitor';
    transitions += automaticTransitions(
      { stage, stage_changed_at: 0, profile },
      result,
      contact.events,
      rules,
    ).length;
  }
  const s = seconds(start);
  console.log(
    `pure core (in memory): ${fmt(contacts.length)} contacts in ${s.toFixed(1)} s → ${fmt(contacts.length / s)} contacts/s, ${fmt(EVENTS / s)} events/s (${fmt(transitions)} transitions)`,
  );
}

function loadSqlite(path: string, contacts: Contact[]) {
  const start = performance.now();
  const raw = new SQLite(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const insertContact = raw.prepare(
    `insert into contacts (id, site, email, domain, traits, stage, first_seen, last_seen, stage_changed_at, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = raw.prepare(
    `insert into events (id, site, contact_id, anon, session, type, name, ts, received_at, path, props, traits, user, bot)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  raw.transaction(() => {
    for (const c of contacts) {
      insertContact.run(
        c.id,
        SITE,
        c.email,
        c.domain,
        JSON.stringify(c.traits),
        c.email ? 'lead' : 'visitor',
        NOW - SPAN_DAYS * DAY,
        NOW,
        NOW - SPAN_DAYS * DAY,
        NOW - SPAN_DAYS * DAY,
        NOW - SPAN_DAYS * DAY,
      );
      for (const e of c.events) {
        insertEvent.run(
          e.id,
          SITE,
          c.id,
          `anon-${c.id}`,
          e.session,
          e.type,
          e.name,
          e.ts,
          e.ts,
          e.path,
          e.props ? JSON.stringify(e.props) : null,
          e.traits ? JSON.stringify(e.traits) : null,
          e.user,
          e.bot ? 1 : 0,
        );
      }
    }
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  console.log(`load temp SQLite file: ${seconds(start).toFixed(1)} s`);
}

async function main() {
  console.log(`bench:score — ${fmt(CONTACTS)} contacts, ${fmt(EVENTS)} events`);
  let start = performance.now();
  const contacts = generate();
  console.log(`generate: ${seconds(start).toFixed(1)} s`);
  benchPure(contacts);

  const dir = mkdtempSync(join(tmpdir(), 'leadtrail-bench-score-'));
  const path = join(dir, 'bench.db');
  const database = createDatabase(path);
  try {
    await migrateToLatest(database.db);
    loadSqlite(path, contacts);
    contacts.length = 0; // let the in-memory copy go before the database run

    const config = loadConfig({
      env: { DATABASE_URL: path, LEADTRAIL_ADMIN_KEY: 'sk_bench_0123456789abcdef', LEADTRAIL_DATA_DIR: dir },
    });
    const target = { db: database.db, config, clock: () => NOW };
    start = performance.now();
    const report = await rescoreAll(target, { batchSize: 500 });
    const s = seconds(start);
    const eventsPerSecond = report.events / s;
    console.log(
      `full rescore (SQLite, 500 contacts/transaction): ${fmt(report.contacts)} contacts, ${fmt(report.events)} events in ${s.toFixed(1)} s → ${fmt(report.contacts / s)} contacts/s, ${fmt(eventsPerSecond)} events/s (${fmt(report.transitions)} transitions)`,
    );

    const ids = Array.from(
      { length: UPDATES },
      () => `c${String(Math.floor(random() * CONTACTS)).padStart(7, '0')}`,
    );
    const times: number[] = [];
    for (const [i, id] of ids.entries()) {
      const t = performance.now();
      await writeTransaction(database.db, async (trx) => {
        await trx
          .insertInto('events')
          .values({
            id: `u${i}`,
            site: SITE,
            contact_id: id,
            anon: `anon-${id}`,
            session: `${id}-live`,
            type: 'page',
            ts: NOW,
            received_at: NOW,
            path: '/pricing',
            props: '{"pricing":true}',
            bot: 0,
          })
          .execute();
        const scoring = { trx, config, now: NOW };
        const transitions = await advanceLifecycle(scoring, await scoreContacts(scoring, [id]));
        await enqueueWebhooks(trx, config, transitions, NOW);
      });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    await heavyContact(database.db, config, path);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `incremental update (insert 1 event + re-score its contact, own transaction): mean ${mean.toFixed(2)} ms, p50 ${times[Math.floor(times.length * 0.5)]!.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(2)} ms over ${fmt(times.length)} updates`,
    );

    start = performance.now();
    let rows = 0;
    // A plain SELECT of the same columns of every event, in pages, through the same driver.
    for (let after = 0; ; ) {
      const page = await database.db
        .selectFrom('events')
        .select(['seq', ...SCORING_COLUMNS])
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(50_000)
        .execute();
      if (page.length === 0) break;
      rows += page.length;
      after = Number(page.at(-1)!.seq);
    }
    const scanSeconds = seconds(start);
    console.log(
      `scan (SELECT of the scoring columns of every event): ${fmt(rows)} rows in ${scanSeconds.toFixed(1)} s → ${fmt(rows / scanSeconds)} rows/s`,
    );

    const window = {
      outcome: 'sql' as const,
      horizonDays: HORIZON_DAYS,
      from: NOW - (HORIZON_DAYS + (CUTOFFS - 1) * 7) * DAY,
      to: NOW,
    };
    start = performance.now();
    const audit = (await runAudit(database.db, config.scoring, window)).report();
    const auditSeconds = seconds(start);
    console.log(
      `audit (${audit.cutoffs} weekly cutoffs, outcome sql within ${HORIZON_DAYS} days): ${fmt(audit.examples)} examples from ${fmt(audit.contacts)} contacts in ${auditSeconds.toFixed(1)} s → ${fmt(rows / auditSeconds)} events/s (${(auditSeconds / scanSeconds).toFixed(1)} × the scan)`,
    );
    console.log(`scan: ${Math.round(rows / scanSeconds)} rows/s`);
    console.log(`audit: ${auditSeconds.toFixed(1)} s`);
    console.log(`rescore: ${Math.round(eventsPerSecond)} events/s`);
  } finally {
    // A referenced timer keeps the process alive while the SQLite checkpointer stops.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([database.close(), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One incremental update for a contact with 10 events and for one with 100,000 (a flood on one
 * anonymous id, spread over the last week): the cost of re-scoring a contact grows with its log.
 */
async function heavyContact(
  db: Parameters<typeof writeTransaction>[0],
  config: ReturnType<typeof loadConfig>,
  path: string,
) {
  const raw = new SQLite(path);
  const add = raw.prepare(
    `insert into contacts (id, site, traits, stage, first_seen, last_seen, stage_changed_at, created_at, updated_at)
     values (?, ?, '{}', 'visitor', ?, ?, ?, ?, ?)`,
  );
  const event = raw.prepare(
    `insert into events (id, site, contact_id, anon, session, type, ts, received_at, path, props, bot)
     values (?, ?, ?, ?, ?, 'page', ?, ?, ?, ?, 0)`,
  );
  for (const size of [10, 100_000]) {
    const id = `heavy-${size}`;
    raw.transaction(() => {
      add.run(id, SITE, NOW - 7 * DAY, NOW, NOW, NOW, NOW);
      for (let i = 0; i < size; i++) {
        const ts = NOW - Math.floor((i / size) * 7 * DAY);
        event.run(
          `${id}-e${i}`,
          SITE,
          id,
          `anon-${id}`,
          `${id}-s${Math.floor(i / 20)}`,
          ts,
          ts,
          i % 3 ? '/docs' : '/pricing',
          i % 3 ? null : '{"pricing":true}',
        );
      }
    })();
  }
  raw.close();
  for (const size of [10, 100_000]) {
    const id = `heavy-${size}`;
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await writeTransaction(db, async (trx) => {
        await trx
          .insertInto('events')
          .values({
            id: `${id}-live-${i}`,
            site: SITE,
            contact_id: id,
            anon: `anon-${id}`,
            session: `${id}-live`,
            type: 'page',
            ts: NOW,
            received_at: NOW,
            path: '/pricing',
            props: '{"pricing":true}',
            bot: 0,
          })
          .execute();
        const scoring = { trx, config, now: NOW };
        await advanceLifecycle(scoring, await scoreContacts(scoring, [id]));
      });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `incremental update of a contact with ${fmt(size)} events: median ${times[5]!.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms over ${times.length} updates`,
    );
  }
}

await main();
