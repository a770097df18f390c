/**
 * Scoring and lifecycle through the real collector (HTTP on loopback, real database): the seed
 * journey reaching MQL, a stitched anonymous history counting toward it, a demo request making an
 * SQL, bots excluded, sales moves, and the stored ruleset version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../collector/clock';
import { AppError } from '../../collector/errors';
import type { BreakdownLine } from '../../collector/scoring/core/score';
import { moveStage } from '../../collector/scoring/transition';
import { identifyEvent, pageView, trackEvent } from '../helpers/events';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { contactByEmail, contactOfAnon, type ManualClock, send, transitionsOf } from './live';

const DAY = 86_400_000;
const ORIGIN = 'https://www.example.com';
const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

const sumOf = (lines: BreakdownLine[]) =>
  lines.filter((l) => l.kind !== 'excluded').reduce((sum, l) => sum + Math.round(l.decayed * 10), 0) / 10;

describe.each(TEST_DATABASES)('scoring in the collector (%s)', (db) => {
  let collector: TestCollector;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = manualClock(Date.UTC(2025, 5, 15, 12));
    collector = await startCollector({ db, clock, workers: false });
  });
  afterAll(async () => {
    await collector?.close();
  });

  const page = (anon: string, path: string, ts: number, session: string, props = {}) =>
    pageView(anon, `${ORIGIN}${path}`, { ts, session, props });
  const track = (anon: string, name: string, ts: number, session: string, props = {}) =>
    trackEvent(anon, name, props, { ts, session, url: `${ORIGIN}/` });

  it('the seed journey (5 pages, whitepaper, pricing twice in a week, newsletter) makes an MQL', async () => {
    const now = clock();
    const day1 = now - 4 * DAY;
    const anon = 'seed-anon';
    const firstVisit = [
      ...['/', '/features', '/blog/', '/blog/launch', '/whitepaper'].map((path, i) =>
        page(anon, path, day1 + i * 60_000, 'v1'),
      ),
      track(anon, 'download', day1 + 6 * 60_000, 'v1', { href: `${ORIGIN}/whitepaper.pdf` }),
      page(anon, '/pricing', day1 + 7 * 60_000, 'v1', { pricing: true }),
    ];
    await send(collector, clock, firstVisit);
    const visitor = await contactOfAnon(collector, anon);
    expect(visitor.stage).toBe('visitor');
    expect(visitor.score).toBeGreaterThan(0);

    const secondVisit = [
      page(anon, '/pricing', now - DAY, 'v2', { pricing: true }),
      track(anon, 'form_submit', now - DAY + 60_000, 'v2', { form: 'newsletter' }),
      identifyEvent(
        anon,
        'ada@acme-robotics.com',
        { name: 'Ada' },
        { ts: now - DAY + 60_001, session: 'v2' },
      ),
    ];
    await send(collector, clock, secondVisit);

    const contact = await contactByEmail(collector, 'ada@acme-robotics.com');
    expect(contact.id).toBe(visitor.id);
    expect(contact.stage).toBe('mql');
    expect(contact.score).toBeGreaterThanOrEqual(50);
    expect(contact.mql_at).toBe(now);
    expect(contact.ruleset_version).toBe(1);
    expect(contact.grade).toBe('C');
    expect(contact.temperature).toBe('hot');
    const breakdown = JSON.parse(contact.breakdown!) as BreakdownLine[];
    expect(sumOf(breakdown)).toBe(contact.score);
    expect(breakdown.find((l) => l.rule === 'pricing_repeat')?.event_ids).toEqual([secondVisit[0]!.id]);

    const transitions = await transitionsOf(collector, contact.id);
    expect(transitions.map((t) => [t.from_stage, t.to_stage, t.actor, t.ruleset_version, t.at])).toEqual([
      ['visitor', 'lead', 'auto', 1, now],
      ['lead', 'mql', 'auto', 1, now],
    ]);
    expect(transitions[0]!.reason).toBe('identified as ada@acme-robotics.com');
    expect(JSON.parse(transitions[0]!.event_ids)).toEqual([secondVisit[2]!.id]);
    expect(transitions[1]!.reason).toMatch(/≥ MQL threshold 50/);
    const causes = JSON.parse(transitions[1]!.event_ids) as string[];
    expect(causes).toEqual(
      expect.arrayContaining([firstVisit[5]!.id, firstVisit[6]!.id, secondVisit[0]!.id]),
    );

    const stored = await collector.services.db.selectFrom('rulesets').selectAll().execute();
    expect(stored.map((r) => r.version)).toEqual([1]);
  });

  it('a stitched anonymous history counts toward the MQL threshold', async () => {
    const now = clock();
    const email = 'grace@hopper-systems.com';
    // Device B: known, but a lead with little activity.
    await send(collector, clock, [identifyEvent('phone', email, {}, { ts: now - 5 * DAY, session: 'p1' })]);
    const known = await contactByEmail(collector, email);
    expect(known.stage).toBe('lead');

    // Device A: anonymous and busy — a visitor of its own, however high its score.
    const anon = 'laptop';
    const anonymous = [
      page(anon, '/', now - 3 * DAY, 'l1'),
      page(anon, '/pricing', now - 3 * DAY + 1000, 'l1', { pricing: true }),
      track(anon, 'download', now - 3 * DAY + 2000, 'l1'),
      page(anon, '/pricing', now - 2 * DAY, 'l2', { pricing: true }),
      track(anon, 'chat', now - 2 * DAY + 1000, 'l2', { action: 'message' }),
    ];
    await send(collector, clock, anonymous);
    const visitor = await contactOfAnon(collector, anon);
    expect(visitor.id).not.toBe(known.id);
    expect(visitor.stage).toBe('visitor');
    expect((await contactByEmail(collector, email)).stage).toBe('lead');

    // The laptop identifies: its history joins the known contact and lifts it over the line.
    await send(collector, clock, [identifyEvent(anon, email, {}, { ts: now - DAY, session: 'l3' })]);
    const contact = await contactByEmail(collector, email);
    expect(contact.id).toBe(known.id);
    expect(contact.stage).toBe('mql');
    const mql = (await transitionsOf(collector, contact.id)).at(-1)!;
    expect([mql.from_stage, mql.to_stage]).toEqual(['lead', 'mql']);
    expect(JSON.parse(mql.event_ids)).toEqual(expect.arrayContaining(anonymous.map((e) => e.id)));
    const gone = await collector.services.db
      .selectFrom('contacts')
      .select('id')
      .where('id', '=', visitor.id)
      .executeTakeFirst();
    expect(gone).toBeUndefined();
  });

  it('a demo request makes an SQL', async () => {
    const now = clock();
    const anon = 'demo-anon';
    await send(collector, clock, [
      page(anon, '/demo', now - 1000, 'd1'),
      identifyEvent(anon, 'linus@kernel-works.io', { title: 'CTO' }, { ts: now - 900, session: 'd1' }),
    ]);
    const demo = track(anon, 'demo_requested', now - 800, 'd1');
    await send(collector, clock, [demo]);
    const contact = await contactByEmail(collector, 'linus@kernel-works.io');
    expect(contact.stage).toBe('sql');
    expect(contact.sql_at).toBe(now);
    const last = (await transitionsOf(collector, contact.id)).at(-1)!;
    expect([last.from_stage, last.to_stage, last.reason]).toEqual([
      'lead',
      'sql',
      'hand-raise: demo_requested',
    ]);
    expect(JSON.parse(last.event_ids)).toEqual([demo.id]);
  });

  it('bot traffic on a known contact scores nothing and shows as excluded', async () => {
    const now = clock();
    const anon = 'watched';
    await send(collector, clock, [
      identifyEvent(anon, 'ken@unix-labs.com', {}, { ts: now - 5000, session: 'w1' }),
    ]);
    const before = await contactByEmail(collector, 'ken@unix-labs.com');
    const botPages = [
      page(anon, '/pricing', now - 4000, 'w2', { pricing: true }),
      track(anon, 'download', now - 3000, 'w2'),
    ];
    await send(collector, clock, botPages, BOT_UA);
    const after = await contactByEmail(collector, 'ken@unix-labs.com');
    expect(after.score).toBe(before.score);
    const excluded = (JSON.parse(after.breakdown!) as BreakdownLine[]).find((l) => l.kind === 'excluded');
    expect(excluded).toMatchObject({ rule: 'bot', points: 0, decayed: 0 });
    expect(excluded!.event_ids.sort()).toEqual(botPages.map((e) => e.id).sort());
  });

  it('sales moves: accept → sal, reject needs a reason and recycles, unknown contact is a 404', async () => {
    const now = clock();
    const anon = 'sales-anon';
    await send(collector, clock, [
      identifyEvent(anon, 'barbara@liskov-data.com', {}, { ts: now - 100, session: 'x' }),
    ]);
    const contact = await contactByEmail(collector, 'barbara@liskov-data.com');
    const services = collector.services;

    const accepted = await moveStage(services, contact.id, 'sal', '', 'reader');
    expect(accepted).toMatchObject({
      from_stage: 'lead',
      to_stage: 'sal',
      actor: 'reader',
      reason: 'moved to sal by reader',
    });
    expect(accepted.at).toBe(now);

    const noReason = await moveStage(services, contact.id, 'recycled', '  ', 'reader').catch(
      (e: unknown) => e,
    );
    expect(noReason).toBeInstanceOf(AppError);
    expect(noReason).toMatchObject({ status: 400, field: 'reason' });

    const rejected = await moveStage(services, contact.id, 'recycled', 'no budget this year', 'reader');
    expect(rejected).toMatchObject({
      from_stage: 'sal',
      to_stage: 'recycled',
      reason: 'no budget this year',
    });
    expect(JSON.parse(rejected.event_ids)).toEqual([]);
    expect((await contactByEmail(collector, 'barbara@liskov-data.com')).stage).toBe('recycled');
    expect((await transitionsOf(collector, contact.id)).map((t) => t.to_stage)).toEqual([
      'lead',
      'sal',
      'recycled',
    ]);

    const missing = await moveStage(services, 'no-such-contact', 'sal', '', 'reader').catch(
      (e: unknown) => e,
    );
    expect(missing).toMatchObject({ status: 404 });
    const same = await moveStage(services, contact.id, 'recycled', 'again', 'reader').catch(
      (e: unknown) => e,
    );
    expect(same).toMatchObject({ status: 409 });

    // A recycled lead's new activity is scored, but one page view does not re-qualify it.
    clock.advance(60_000);
    await send(collector, clock, [page(anon, '/blog/', clock() - 10, 'y')]);
    expect((await contactByEmail(collector, 'barbara@liskov-data.com')).stage).toBe('recycled');
  });

  it('contacts without an email stay visitors', async () => {
    const now = clock();
    const anon = 'lurker';
    await send(
      collector,
      clock,
      Array.from({ length: 8 }, (_, i) =>
        page(anon, '/pricing', now - 6 * DAY + i * DAY * 0.7, `k${i}`, { pricing: true }),
      ),
    );
    const visitor = await contactOfAnon(collector, anon);
    expect(visitor.score).toBeGreaterThan(50);
    expect(visitor.stage).toBe('visitor');
    expect(await transitionsOf(collector, visitor.id)).toEqual([]);
  });
});
