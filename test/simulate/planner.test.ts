/**
 * The simulator's plans, without a server: the seed decides everything (so reruns deduplicate),
 * the journeys cover what the dashboard needs to show, and the events are valid wire batches
 * inside the collector's acceptance window.
 */

import { isbot } from 'isbot';
import { describe, expect, it } from 'vitest';
import { DESKTOP_AGENTS } from '../../collector/cli/simulate/agents';
import { JOURNEY_KINDS } from '../../collector/cli/simulate/journeys';
import { planVisitors } from '../../collector/cli/simulate/planner';
import { createRandom } from '../../collector/cli/simulate/random';
import { renderVisitor } from '../../collector/cli/simulate/render';
import { EVENT_NAMES } from '../../shared/events';
import { MAX_AGE_MS } from '../../shared/limits';
import { parseBatch } from '../../shared/schema';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 10, 20, 12, 0, 0);
const render = (seed: number, visitors: number, days = 6, now = NOW) =>
  planVisitors(seed, visitors, days).flatMap((plan) =>
    renderVisitor(plan, { baseUrl: 'http://localhost:8787', site: 'pk_demo', now }).map((batch) => ({
      plan,
      batch,
    })),
  );

describe('simulation plans', () => {
  it('are a pure function of the seed: same seed, same events; another seed, other ids', () => {
    const a = render(7, 60);
    expect(render(7, 60)).toEqual(a);
    const ids = new Set(a.flatMap(({ batch }) => batch.events.map((e) => e.id)));
    const other = render(8, 60).flatMap(({ batch }) => batch.events.map((e) => e.id));
    expect(other.some((id) => ids.has(id))).toBe(false);
  });

  it('keep event ids and anonymous ids when only the time changes (so a later rerun is all duplicates)', () => {
    const ids = (now: number, days: number) =>
      render(3, 40, days, now).flatMap(({ batch }) =>
        batch.events.map((e) => `${e.id}/${e.anon}/${e.session}`),
      );
    expect(ids(NOW + 5 * DAY, 2)).toEqual(ids(NOW, 6));
  });

  it('give visitor i the same journey whatever the number of visitors', () => {
    const small = planVisitors(11, 20, 6);
    expect(planVisitors(11, 50, 6).slice(0, 20)).toEqual(small);
  });

  it('cover every journey in the first nine visitors, and draw the rest by weight', () => {
    for (const seed of [1, 2, 42]) {
      expect(new Set(planVisitors(seed, JOURNEY_KINDS.length, 6).map((p) => p.kind))).toEqual(
        new Set(JOURNEY_KINDS),
      );
    }
    const kinds = planVisitors(5, 2000, 6).map((p) => p.kind);
    const share = (kind: string) => kinds.filter((k) => k === kind).length / kinds.length;
    expect(share('reader')).toBeGreaterThan(0.35);
    expect(share('demo_request')).toBeLessThan(0.08);
    expect(share('bot')).toBeGreaterThan(0.01);
  });

  it('render valid wire batches with unique ids, within the 7-day window and never in the future', () => {
    const rendered = render(42, 300, 7);
    const ids = new Set<string>();
    for (const { batch } of rendered) {
      const parsed = parseBatch({ ...batch, sent_at: NOW });
      expect(parsed.ok ? null : parsed.error).toBeNull();
      for (const event of batch.events) {
        ids.add(event.id);
        expect(event.ts).toBeLessThanOrEqual(NOW);
        expect(event.ts).toBeGreaterThan(NOW - MAX_AGE_MS);
      }
    }
    expect(ids.size).toBe(rendered.reduce((n, { batch }) => n + batch.events.length, 0));
    const days = new Set(
      rendered.flatMap(({ batch }) => batch.events.map((e) => Math.floor((NOW - e.ts) / DAY))),
    );
    expect(days.size).toBe(7);
  });

  it('bring returning visitors back on later days, in order', () => {
    for (const plan of planVisitors(9, 200, 6).filter((p) => p.kind === 'evaluator')) {
      const starts = plan.sessions.map((s) => s.startsBefore);
      expect(plan.sessions.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < starts.length; i++) expect(starts[i - 1]! - starts[i]!).toBeGreaterThan(0.5 * DAY);
    }
  });

  it('give each journey its telling events', () => {
    const rendered = render(42, 400);
    const of = (kind: string) =>
      rendered.filter(({ plan }) => plan.kind === kind).flatMap(({ batch }) => batch.events);
    const names = (kind: string) => new Set(of(kind).map((e) => e.name ?? e.type));

    expect(of('evaluator').filter((e) => e.props?.pricing === true).length).toBeGreaterThanOrEqual(2 * 5);
    expect(names('downloader')).toEqual(
      new Set(['page', EVENT_NAMES.form, 'identify', EVENT_NAMES.download]),
    );
    expect(names('demo_request').has('demo_requested')).toBe(true);
    expect(names('chat_curious').has(EVENT_NAMES.chat)).toBe(true);
    expect(of('job_seeker').some((e) => e.url?.endsWith('/careers'))).toBe(true);
    expect(names('reader')).toEqual(new Set(['page']));
    // Campaigns and referrers: the landing page carries the campaign, later pages the internal referrer.
    const landings = rendered.map(({ batch }) => batch.events[0]!);
    const sources = new Set(landings.map((e) => e.campaign?.utm_source ?? e.ref ?? 'direct'));
    for (const s of [
      'google',
      'linkedin',
      'newsletter',
      'cloudwarehouse',
      'https://www.google.com/',
      'direct',
    ])
      expect(sources).toContain(s);
    for (const e of landings.filter((e) => e.campaign))
      expect(new URL(e.url!).searchParams.get('utm_source')).toBe(e.campaign!.utm_source);
  });

  it('send crawlers with a bot user agent and people with a browser one', () => {
    for (const plan of planVisitors(42, 300, 6)) {
      expect(isbot(plan.userAgent)).toBe(plan.kind === 'bot');
      if (plan.kind === 'evaluator' || plan.kind === 'demo_request')
        expect(DESKTOP_AGENTS).toContain(plan.userAgent);
    }
  });

  it('uses a seeded generator whose draws stay in range', () => {
    const rng = createRandom(1);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
    expect(rng.id()).toMatch(/^[A-Za-z0-9_-]{21}$/);
  });
});
