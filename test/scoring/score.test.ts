/**
 * The pure core, rule kind by rule kind, at the boundaries: caps reached, windows just inside and
 * just outside, half-life after 30 days, negative points, free-mail penalty, bots excluded.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULESET, parseRuleset } from '../../collector/scoring/core/rules';
import { type BreakdownLine, score } from '../../collector/scoring/core/score';
import { ANON, DAY, HOUR, identify, NOW, page, pricing, profile, track } from './fixtures';

/** The defaults without decay, so boundary tests read in whole points. */
const flat = parseRuleset({ half_life_days: null });
const line = (lines: BreakdownLine[], rule: string) => lines.find((l) => l.rule === rule);

describe('page view: +3, at most 15 a day', () => {
  it('awards the first five views of a day and caps the sixth', () => {
    const views = [5, 4, 3, 2, 1, 0].map((h) => page(NOW - h * HOUR, `/p${h}`));
    const result = score(views, ANON, flat, NOW);
    const pv = line(result.breakdown, 'page_view')!;
    expect(pv.points).toBe(15);
    expect(pv.event_ids).toEqual(views.slice(0, 5).map((v) => v.id));
    expect(pv.capped).toBe(1);
    expect(result.engagement).toBe(15);
  });

  it('starts a new allowance on the next UTC day', () => {
    const today = [5, 4, 3, 2, 1].map((h) => page(NOW - h * HOUR));
    const yesterday = page(NOW - DAY);
    const result = score([...today, yesterday], ANON, flat, NOW);
    expect(line(result.breakdown, 'page_view')!.points).toBe(18);
    expect(line(result.breakdown, 'page_view')!.capped).toBeUndefined();
  });

  it('clips the last award to what a lifetime cap leaves', () => {
    const rules = parseRuleset({
      half_life_days: null,
      engagement: [{ id: 'dl', match: { name: 'download' }, points: 10, cap: { lifetime: 25 } }],
    });
    const downloads = [3, 2, 1, 0].map((d) => track(NOW - d * DAY, 'download'));
    const dl = line(score(downloads, ANON, rules, NOW).breakdown, 'dl')!;
    expect(dl.points).toBe(25);
    expect(dl.event_ids).toHaveLength(3);
    expect(dl.capped).toBe(1);
  });
});

describe('pricing: +10, second pricing visit within 7 days +15 more', () => {
  it('adds the bonus when the second visit is exactly 7 days after the first', () => {
    const first = pricing(NOW - 7 * DAY, { session: 'a' });
    const second = pricing(NOW, { session: 'b' });
    const result = score([first, second], ANON, flat, NOW);
    expect(line(result.breakdown, 'pricing_view')!.points).toBe(20);
    expect(line(result.breakdown, 'pricing_repeat')).toMatchObject({ points: 15, event_ids: [second.id] });
  });

  it('gives no bonus one millisecond outside the window', () => {
    const result = score(
      [pricing(NOW - 7 * DAY - 1, { session: 'a' }), pricing(NOW, { session: 'b' })],
      ANON,
      flat,
      NOW,
    );
    expect(line(result.breakdown, 'pricing_repeat')).toBeUndefined();
    expect(line(result.breakdown, 'pricing_view')!.points).toBe(20);
  });

  it('counts visits, not reloads: two views in one session are one visit', () => {
    const result = score([pricing(NOW - HOUR), pricing(NOW)], ANON, flat, NOW);
    expect(line(result.breakdown, 'pricing_repeat')).toBeUndefined();
  });

  it('fires once per streak: visits 2 and 4 earn the bonus, visit 3 does not', () => {
    const visits = [3, 2, 1, 0].map((d, i) => pricing(NOW - d * DAY, { session: `s${i}` }));
    const bonus = line(score(visits, ANON, flat, NOW).breakdown, 'pricing_repeat')!;
    expect(bonus.event_ids).toEqual([visits[1]!.id, visits[3]!.id]);
    expect(bonus.points).toBe(30);
  });
});

describe('return visits and 5 sessions in 7 days', () => {
  it('a new session on the same day is not a return visit; the first session of a later day is', () => {
    const events = [
      page(NOW - 2 * DAY, '/', { session: 'a' }),
      page(NOW - 2 * DAY + HOUR, '/', { session: 'b' }),
      page(NOW - DAY, '/', { session: 'c' }),
      page(NOW - DAY + HOUR, '/', { session: 'd' }),
    ];
    const rv = line(score(events, ANON, flat, NOW).breakdown, 'return_visit')!;
    expect(rv.event_ids).toEqual([events[2]!.id]);
    expect(rv.points).toBe(5);
  });

  it('5 sessions within 7 days earn +10; the 5th a day too late earns nothing', () => {
    const inside = [6, 5, 4, 3, 0].map((d, i) => page(NOW - d * DAY, '/', { session: `s${i}` }));
    expect(line(score(inside, ANON, flat, NOW).breakdown, 'frequent_sessions')).toMatchObject({
      points: 10,
      event_ids: [inside[4]!.id],
    });
    const outside = [8, 5, 4, 3, 0].map((d, i) => page(NOW - d * DAY - 1, '/', { session: `s${i}` }));
    expect(line(score(outside, ANON, flat, NOW).breakdown, 'frequent_sessions')).toBeUndefined();
  });
});

describe('decay: 30-day half-life', () => {
  it('a download is worth 10 today, 5 after 30 days, 2.5 after 60', () => {
    for (const [days, worth] of [
      [0, 10],
      [30, 5],
      [60, 2.5],
    ] as const) {
      const dl = line(
        score([track(NOW - days * DAY, 'download')], ANON, DEFAULT_RULESET, NOW).breakdown,
        'download',
      )!;
      expect(dl.points).toBe(10);
      expect(dl.decayed).toBe(worth);
    }
  });

  it('a rule can opt out of decay or use its own half-life, in the same rule as a window', () => {
    const rules = parseRuleset({
      engagement: [
        { id: 'forever', match: { name: 'signup' }, points: 20, decay: false },
        {
          id: 'burst',
          match: { name: 'signup' },
          points: 8,
          half_life_days: 10,
          frequency: { count: 2, within_days: 3 },
        },
      ],
    });
    const events = [track(NOW - 21 * DAY, 'signup'), track(NOW - 20 * DAY, 'signup')];
    const result = score(events, ANON, rules, NOW);
    expect(line(result.breakdown, 'forever')!.decayed).toBe(40);
    expect(line(result.breakdown, 'burst')!.decayed).toBe(2); // 8 × 0.5^(20/10)
  });
});

describe('negative points', () => {
  it('a careers page costs 10 (and still counts as a page view)', () => {
    for (const path of ['/careers', '/careers/engineering', '/jobs/123']) {
      const result = score([page(NOW, path)], ANON, flat, NOW);
      expect(line(result.breakdown, 'careers_page')!.points).toBe(-10);
      expect(result.engagement).toBe(-7);
    }
    expect(
      line(score([page(NOW, '/blog/careers')], ANON, flat, NOW).breakdown, 'careers_page'),
    ).toBeUndefined();
  });

  it('caps limit penalties by their size too', () => {
    const rules = parseRuleset({
      half_life_days: null,
      engagement: [{ id: 'bounce', match: { type: 'page' }, points: -4, cap: { per_day: 10 } }],
    });
    const result = score([page(NOW - 3), page(NOW - 2), page(NOW - 1)], ANON, rules, NOW);
    const bounce = line(result.breakdown, 'bounce')!;
    expect(bounce.points).toBe(-10); // −4, −4, then the −2 the cap leaves
    expect(bounce.event_ids).toHaveLength(3);
  });
});

describe('chat, downloads and forms', () => {
  it('chat open / message / email give 5 / 8 / 10', () => {
    const result = score(
      ['open', 'message', 'email'].map((action) => track(NOW, 'chat', { action })),
      ANON,
      flat,
      NOW,
    );
    expect(result.breakdown.map((l) => [l.rule, l.points])).toEqual([
      ['chat_open', 5],
      ['chat_message', 8],
      ['chat_email', 10],
    ]);
  });

  it('form sign-up +10, download +10', () => {
    const result = score(
      [track(NOW, 'form_submit', { form: 'newsletter' }), track(NOW, 'download')],
      ANON,
      flat,
      NOW,
    );
    expect(result.engagement).toBe(20);
  });
});

describe('matching on props, traits, names and exclusions', () => {
  const rules = parseRuleset({
    half_life_days: null,
    engagement: [
      {
        id: 'big_plan',
        match: { type: 'track', name: ['plan_viewed', 'plan_selected'], props: { seats: { gte: 50 } } },
        unless: { props: { plan: 'free' } },
        points: 12,
      },
      {
        id: 'enterprise_identify',
        match: { type: 'identify', traits: { plan: ['Enterprise', 'scale'] } },
        points: 7,
      },
      { id: 'docs', match: { path: '/docs/*' }, points: 1 },
    ],
  });

  it('applies each condition kind', () => {
    const hit = track(NOW, 'plan_selected', { seats: '51-200', plan: 'team' });
    const free = track(NOW, 'plan_viewed', { seats: 100, plan: 'FREE' });
    const small = track(NOW, 'plan_viewed', { seats: 10 });
    const ident = identify(NOW, 'a@acme.com', { plan: ' enterprise ' });
    const docs = page(NOW, '/Docs/start');
    const result = score([hit, free, small, ident, docs], ANON, rules, NOW);
    expect(line(result.breakdown, 'big_plan')!.event_ids).toEqual([hit.id]);
    expect(line(result.breakdown, 'enterprise_identify')!.event_ids).toEqual([ident.id]);
    expect(line(result.breakdown, 'docs')!.event_ids).toEqual([docs.id]);
  });
});

describe('fit', () => {
  const fitOf = (email: string | null, traits = {}) =>
    score([], profile(email, traits), DEFAULT_RULESET, NOW);

  it('free-mail domain −10, business domain +5, no email neither', () => {
    expect(fitOf('ada@gmail.com').breakdown.map((l) => [l.rule, l.points])).toEqual([['free_mail', -10]]);
    expect(fitOf('ada@yahoo.com').fit).toBe(-10);
    expect(fitOf('ada@acme-robotics.com').breakdown.map((l) => [l.rule, l.points])).toEqual([
      ['business_mail', 5],
    ]);
    expect(fitOf(null).breakdown).toEqual([]);
  });

  it('title: the first matching rule of the group counts (a Director of Product Management is not also a Manager)', () => {
    expect(fitOf(null, { title: 'Director of Product Management' }).fit).toBe(15);
    expect(fitOf(null, { job_title: 'VP Sales' }).fit).toBe(15);
    expect(fitOf(null, { jobTitle: 'CTO' }).fit).toBe(15);
    expect(fitOf(null, { title: 'Head of Growth' }).fit).toBe(15);
    expect(fitOf(null, { title: 'Marketing Manager' }).fit).toBe(5);
    expect(fitOf(null, { role: 'Student' }).fit).toBe(-10);
    expect(fitOf(null, { title: 'Summer intern' }).fit).toBe(-10);
    expect(fitOf(null, { title: 'Engineer' }).fit).toBe(0);
  });

  it('company size 50–1000 +10, more than 1000 +15, as numbers or form ranges', () => {
    expect(fitOf(null, { company_size: 49 }).fit).toBe(0);
    expect(fitOf(null, { company_size: 50 }).fit).toBe(10);
    expect(fitOf(null, { employees: '51-200' }).fit).toBe(10);
    expect(fitOf(null, { company_size: 1000 }).fit).toBe(10);
    expect(fitOf(null, { company_size: '1,001' }).fit).toBe(15);
    expect(fitOf(null, { company_size: '1000+' }).fit).toBe(15);
    expect(fitOf(null, { company: { employees: 5000 } }).fit).toBe(15);
  });

  it('industry, country and email domain lists', () => {
    const rules = parseRuleset({
      fit: [
        { id: 'saas', traits: { industry: ['SaaS', 'software'] }, points: 5 },
        { id: 'dach', traits: { country: { in: ['DE', 'AT', 'CH'] } }, points: 3 },
        { id: 'gov', email_domain: ['*.gov', 'army.mil'], points: -20 },
      ],
    });
    const result = score([], profile('x@irs.gov', { industry: 'software', country: 'de' }), rules, NOW);
    expect(result.breakdown.map((l) => l.rule)).toEqual(['saas', 'dach', 'gov']);
    expect(result.fit).toBe(-12);
  });

  it('fit never decays and uses the newest identify traits by event time', () => {
    const older = identify(NOW - 2 * DAY, 'a@acme.com', { title: 'Manager' });
    const newer = identify(NOW - DAY, 'a@acme.com', { title: 'VP Marketing' });
    // Stored traits reflect arrival order (the older identify arrived last); event time wins.
    const stored = profile('a@acme.com', { title: 'Manager' });
    expect(score([newer, older], stored, DEFAULT_RULESET, NOW + 400 * DAY).fit).toBe(20);
  });
});

describe('grade and temperature', () => {
  it('grades A/B/C/D from fit', () => {
    const grade = (email: string, traits = {}) =>
      score([], profile(email, traits), DEFAULT_RULESET, NOW).grade;
    expect(grade('a@acme.com', { title: 'VP Sales', company_size: 200 })).toBe('A'); // 30
    expect(grade('a@acme.com', { title: 'VP Sales' })).toBe('B'); // 20
    expect(grade('a@acme.com')).toBe('C'); // 5
    expect(grade('a@gmail.com', { title: 'student' })).toBe('D'); // -20
  });

  it('temperature counts only the last 14 days: hot ≥ 30, warm ≥ 10, else cold', () => {
    const recent = (days: number) => [
      track(NOW - days * DAY, 'download'),
      track(NOW - days * DAY, 'form_submit'),
      track(NOW - days * DAY, 'chat', { action: 'email' }),
    ];
    expect(score(recent(1), ANON, DEFAULT_RULESET, NOW).temperature).toBe('hot');
    expect(score(recent(14), ANON, DEFAULT_RULESET, NOW).temperature).toBe('hot');
    expect(score(recent(15), ANON, DEFAULT_RULESET, NOW).temperature).toBe('cold');
    expect(score([track(NOW, 'download')], ANON, DEFAULT_RULESET, NOW).temperature).toBe('warm');
    expect(score([page(NOW)], ANON, DEFAULT_RULESET, NOW).temperature).toBe('cold');
  });
});

describe('bots', () => {
  it('bot events score 0 and are listed as excluded', () => {
    const human = track(NOW, 'download');
    const bot = track(NOW, 'download', null, { bot: true });
    const botPage = page(NOW, '/pricing', { bot: true, props: { pricing: true } });
    const result = score([human, bot, botPage], ANON, flat, NOW);
    expect(result.engagement).toBe(10);
    expect(line(result.breakdown, 'download')!.event_ids).toEqual([human.id]);
    expect(line(result.breakdown, 'bot')).toMatchObject({
      kind: 'excluded',
      points: 0,
      decayed: 0,
      event_ids: [bot.id, botPage.id].sort(),
    });
  });
});

describe('as of a date', () => {
  it('ignores events after the as-of moment', () => {
    const early = track(NOW - 10 * DAY, 'download');
    const late = track(NOW - DAY, 'download');
    const then = score([early, late], ANON, DEFAULT_RULESET, NOW - 5 * DAY);
    expect(line(then.breakdown, 'download')!.event_ids).toEqual([early.id]);
    expect(then.as_of).toBe(NOW - 5 * DAY);
  });
});
