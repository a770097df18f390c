import { describe, expect, it } from 'vitest';
import { isOutOfOffice, isWorking, localTime } from '../../collector/handoff/calendar';
import { type OwnerConfig, ownerSchema } from '../../collector/handoff/config';
import { type Credits, type RoutingContact, route, routingFacts } from '../../collector/handoff/routing';

const owner = (input: Record<string, unknown>): OwnerConfig =>
  ownerSchema.parse({ email: `${input.id}@sales.example`, name: String(input.id), ...input });

const lead = (over: Partial<RoutingContact> = {}): RoutingContact => ({
  site: 'pk_site',
  domain: null,
  email: 'someone@example.org',
  country: null,
  employees: null,
  ...over,
});

/** Routes `n` leads one after another (as the shell does, carrying the credits along). */
function routeMany(
  owners: OwnerConfig[],
  n: number,
  at: (i: number) => number,
  credits: Record<string, Credits> = {},
) {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const decision = route({ contact: lead(), owners, now: at(i), credits });
    if (decision.kind !== 'pool') throw new Error(decision.kind);
    credits[decision.pool] = decision.credits;
    counts[decision.owner] = (counts[decision.owner] ?? 0) + 1;
  }
  return { counts, credits };
}

const T0 = Date.UTC(2026, 11, 1, 10, 0); // Tuesday 1 December 2026, 10:00 UTC
const DAY = 86_400_000;

describe('weighted round-robin', () => {
  it('splits 1,000 leads by weight within one lead of each share', () => {
    const owners = [
      owner({ id: 'ana', weight: 3 }),
      owner({ id: 'ben', weight: 2 }),
      owner({ id: 'cy', weight: 1 }),
    ];
    const { counts } = routeMany(owners, 1000, (i) => T0 + i * 1000);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(1000);
    for (const o of owners) {
      const share = (1000 * o.weight) / 6;
      expect(Math.abs(counts[o.id]! - share)).toBeLessThanOrEqual(1);
    }
  });

  it('stays within one of the share over every prefix, not only at the end', () => {
    const owners = [owner({ id: 'ana', weight: 5 }), owner({ id: 'ben', weight: 2 })];
    const credits: Record<string, Credits> = {};
    const counts: Record<string, number> = { ana: 0, ben: 0 };
    for (let i = 1; i <= 700; i++) {
      const d = route({ contact: lead(), owners, now: T0, credits });
      if (d.kind !== 'pool') throw new Error(d.kind);
      credits[d.pool] = d.credits;
      counts[d.owner]!++;
      expect(Math.abs(counts.ana! - (i * 5) / 7)).toBeLessThan(1 + 1e-9);
    }
  });

  it('gives an out-of-office owner nothing, and after their return no more than their share', () => {
    const owners = [
      owner({ id: 'ana', weight: 1 }),
      owner({ id: 'ben', weight: 1, out_of_office: [{ from: '2026-12-01', to: '2026-12-07' }] }),
    ];
    // 500 leads during the absence: all to Ana.
    const away = routeMany(owners, 500, (i) => T0 + i * 60_000);
    expect(away.counts).toEqual({ ana: 500 });
    // Back on 8 December: 100 leads split evenly, no burst to "catch up" on the missed 250.
    const back = routeMany(owners, 100, (i) => T0 + 7 * DAY + i * 60_000, away.credits);
    expect(back.counts.ben).toBeLessThanOrEqual(51);
    expect(back.counts.ana).toBeLessThanOrEqual(51);
    // And the very first lead after return is not a run of Ben's: at most one in a row.
    const first = routeMany(owners, 4, (i) => T0 + 7 * DAY + i, away.credits);
    expect(first.counts.ben).toBe(2);
  });

  it('skips owners outside working hours in their own time zone and says so', () => {
    const owners = [
      owner({ id: 'ana', time_zone: 'Europe/Berlin', working_hours: { start: '09:00', end: '17:00' } }),
      owner({ id: 'ben', time_zone: 'America/New_York', working_hours: { start: '09:00', end: '17:00' } }),
    ];
    // 10:00 UTC = 11:00 Berlin, 05:00 New York.
    for (let i = 0; i < 5; i++) {
      const d = route({ contact: lead(), owners, now: T0 + i, credits: {} });
      expect(d).toMatchObject({ owner: 'ana' });
      expect(d.reason).toBe('routed to ana: no territory, weight 1; ben outside working hours');
    }
    // Saturday 12:00 UTC: nobody works, the lead still gets an owner and the reason says why.
    const saturday = route({ contact: lead(), owners, now: Date.UTC(2026, 11, 5, 12), credits: {} });
    expect(saturday.kind).toBe('pool');
    expect(saturday.reason).toContain('nobody in working hours');
  });
});

describe('territories and accounts', () => {
  const owners = [
    owner({ id: 'ana', name: 'Ana', weight: 2, territories: [{ countries: ['de', 'AT'] }] }),
    owner({
      id: 'ben',
      name: 'Ben',
      territories: [{ countries: ['DE'] }],
      out_of_office: [{ from: '2026-11-30', to: '2026-12-02' }],
    }),
    owner({ id: 'eve', name: 'Eve', territories: [{ name: 'Enterprise', company_size: { min: 1000 } }] }),
    owner({ id: 'gus', name: 'Gus' }),
    owner({ id: 'max', name: 'Max', routable: false }),
  ];

  it('routes by territory and records the reason, naming who was skipped', () => {
    const d = route({ contact: lead({ country: 'DE' }), owners, now: T0, credits: {} });
    expect(d).toMatchObject({
      owner: 'ana',
      reason: 'routed to Ana: territory DE/AT, weight 2; Ben out of office',
    });
    const big = route({ contact: lead({ employees: 2300 }), owners, now: T0, credits: {} });
    expect(big).toMatchObject({ owner: 'eve', reason: 'routed to Eve: territory Enterprise, weight 1' });
  });

  it('sends leads no territory claims to the owners without territories, never to a non-routable one', () => {
    for (let i = 0; i < 10; i++) {
      const d = route({ contact: lead({ country: 'FR', employees: 10 }), owners, now: T0, credits: {} });
      expect(d).toMatchObject({ owner: 'gus' });
    }
  });

  it('keeps an account with its owner, unless that owner is away', () => {
    const d = route({
      contact: lead({ domain: 'acme.com', country: 'DE' }),
      owners,
      now: T0,
      credits: {},
      accountOwner: 'gus',
    });
    expect(d).toMatchObject({
      kind: 'account',
      owner: 'gus',
      reason: 'routed to Gus: account acme.com already owned by Gus',
    });
    const away = route({
      contact: lead({ domain: 'acme.com', country: 'DE' }),
      owners,
      now: T0,
      credits: {},
      accountOwner: 'ben',
    });
    expect(away).toMatchObject({ kind: 'pool', owner: 'ana' });
    expect(away.reason).toContain('account owner Ben out of office');
  });

  it('matches domains including sub-domains and the email domain', () => {
    const o = [owner({ id: 'kam', territories: [{ domains: ['globex.com'] }] }), owner({ id: 'gus' })];
    expect(
      route({ contact: lead({ domain: 'eu.globex.com' }), owners: o, now: T0, credits: {} }),
    ).toMatchObject({ owner: 'kam' });
    expect(
      route({ contact: lead({ email: 'x@globex.com' }), owners: o, now: T0, credits: {} }),
    ).toMatchObject({ owner: 'kam' });
    expect(
      route({ contact: lead({ domain: 'notglobex.com' }), owners: o, now: T0, credits: {} }),
    ).toMatchObject({ owner: 'gus' });
  });

  it('finds nobody when everyone is out of office', () => {
    const o = [owner({ id: 'ana', out_of_office: [{ from: '2026-12-01', to: '2026-12-01' }] })];
    expect(route({ contact: lead(), owners: o, now: T0, credits: {} })).toEqual({
      kind: 'nobody',
      reason: 'no owner available: ana out of office',
    });
    expect(route({ contact: lead(), owners: [], now: T0, credits: {} }).kind).toBe('nobody');
  });

  it('reads country and company size from traits', () => {
    expect(routingFacts({ country: 'de', company_size: '250-999' })).toEqual({
      country: 'DE',
      employees: 250,
    });
    expect(routingFacts({ country: 'Germany', employees: 40 })).toEqual({ country: null, employees: 40 });
    expect(routingFacts({ company_size: 'x'.repeat(10_000) })).toEqual({ country: null, employees: null });
  });
});

describe('calendar', () => {
  it('reads out-of-office days in the owner’s time zone', () => {
    const o = owner({
      id: 'ana',
      time_zone: 'Asia/Tokyo',
      out_of_office: [{ from: '2026-12-02', to: '2026-12-02' }],
    });
    // 16:00 UTC on 1 December is 01:00 on 2 December in Tokyo.
    expect(isOutOfOffice(o, Date.UTC(2026, 11, 1, 14, 59))).toBe(false);
    expect(isOutOfOffice(o, Date.UTC(2026, 11, 1, 15, 0))).toBe(true);
    expect(localTime(Date.UTC(2026, 11, 1, 15, 0), 'Asia/Tokyo')).toEqual({
      date: '2026-12-02',
      weekday: 3,
      minute: 0,
    });
  });

  it('treats the end of working hours as outside them, and weekends as off', () => {
    const o = owner({ id: 'ana', working_hours: { start: '09:00', end: '17:00' } });
    expect(isWorking(o, Date.UTC(2026, 11, 1, 9, 0))).toBe(true);
    expect(isWorking(o, Date.UTC(2026, 11, 1, 16, 59))).toBe(true);
    expect(isWorking(o, Date.UTC(2026, 11, 1, 17, 0))).toBe(false);
    expect(isWorking(o, Date.UTC(2026, 11, 5, 12, 0))).toBe(false);
  });
});
