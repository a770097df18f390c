/**
 * A generator of contacts with planted effects, for testing the audit and the learner: each
 * contact may do some behaviours (in a burst over its first two days); the chance that it later
 * raises its hand (the outcome, at a known time) follows a logistic model whose log-odds are
 * planted per behaviour. Noise behaviours carry no effect; a leakage trap happens only after the
 * outcome; bot traffic visits a trap path only on contacts that convert.
 */
import type { AuditContact } from '../../../collector/scoring/core/audit/examples';
import type { ScoringEvent } from '../../../collector/scoring/core/events';
import { parseRuleset, type Ruleset } from '../../../collector/scoring/core/rules';

export const DAY = 86_400_000;
export const START = Date.UTC(2025, 0, 6);
export const END = START + 240 * DAY;

export interface Behaviour {
  id: string;
  /** Planted log-odds of converting when the behaviour happened. */
  effect: number;
  event: { type: 'page'; path: string } | { type: 'track'; name: string };
  /** Share of contacts that do it. */
  share: number;
}

export const PLANTED: Behaviour[] = [
  { id: 'webinar', effect: 1.6, event: { type: 'track', name: 'webinar_attended' }, share: 0.3 },
  { id: 'pricing', effect: 1.1, event: { type: 'page', path: '/pricing' }, share: 0.35 },
  { id: 'cases', effect: 0.7, event: { type: 'page', path: '/case-studies/acme' }, share: 0.35 },
];

export const NOISE: Behaviour[] = [
  { id: 'blog', effect: 0, event: { type: 'page', path: '/blog/post' }, share: 0.4 },
  { id: 'newsletter', effect: 0, event: { type: 'track', name: 'newsletter_opened' }, share: 0.35 },
  { id: 'careers', effect: 0, event: { type: 'page', path: '/careers/jobs' }, share: 0.3 },
];

/** Hidden from the rules: a candidate rule the audit should find. */
export const HIDDEN: Behaviour = {
  id: 'security',
  effect: 1.3,
  event: { type: 'page', path: '/docs/security' },
  share: 0.3,
};

export const HAND_RAISE = 'demo_requested';
export const LEAK_EVENT = 'onboarding_started';
export const BOT_TRAP = '/bot-trap';
const BASE_LOG_ODDS = -2.6;

/** mulberry32: small, seeded, the same numbers on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ruleFor = (b: Behaviour, points: number) => ({
  id: b.id,
  match:
    b.event.type === 'track'
      ? { type: 'track' as const, name: b.event.name }
      : { type: 'page' as const, path: `/${b.event.path.split('/')[1]}*` },
  points,
  cap: { lifetime: Math.abs(points) },
  decay: false,
});

/** A ruleset with one rule per planted and noise behaviour, the leakage trap and a dead rule. */
export function plantedRuleset(points: Record<string, number> = {}, version = 1): Ruleset {
  const pointsOf = (id: string) => points[id] ?? 10;
  return parseRuleset({
    version,
    mql_threshold: 20,
    half_life_days: null,
    hand_raise: [HAND_RAISE],
    bant: [],
    engagement: [
      ...[...PLANTED, ...NOISE].map((b) => ruleFor(b, pointsOf(b.id))),
      { id: 'leak', match: { type: 'track', name: LEAK_EVENT }, points: pointsOf('leak'), decay: false },
      { id: 'never', match: { type: 'track', name: 'never_happens' }, points: 5, decay: false },
    ],
    fit: [],
  });
}

export interface PlantedContact extends AuditContact {
  events: ScoringEvent[];
  did: Record<string, boolean>;
}

export function plantedContacts(count: number, seed = 1): PlantedContact[] {
  const rand = random(seed);
  const contacts: PlantedContact[] = [];
  let eventId = 0;
  const event = (ts: number, e: Behaviour['event'] | { type: 'identify' }, bot = false): ScoringEvent => ({
    id: `e${String(++eventId).padStart(8, '0')}`,
    type: e.type,
    name: 'name' in e ? e.name : null,
    ts,
    session: null,
    path: 'path' in e ? e.path : '/',
    props: null,
    traits: null,
    user: e.type === 'identify' ? 'person' : null,
    bot,
  });
  for (let i = 0; i < count; i++) {
    const start = START + Math.floor(rand() * 170 * DAY);
    const id = `c${String(i).padStart(6, '0')}`;
    const events: ScoringEvent[] = [event(start, { type: 'identify' })];
    const did: Record<string, boolean> = {};
    let logOdds = BASE_LOG_ODDS;
    let lastBehaviour = start;
    for (const b of [...PLANTED, ...NOISE, HIDDEN]) {
      did[b.id] = rand() < b.share;
      if (!did[b.id]) continue;
      const ts = start + Math.floor(rand() * 2 * DAY) + 1;
      events.push(event(ts, b.event));
      lastBehaviour = Math.max(lastBehaviour, ts);
      logOdds += b.effect;
    }
    const converts = rand() < 1 / (1 + Math.exp(-logOdds));
    let outcomeAt: number | null = null;
    if (converts) {
      outcomeAt = lastBehaviour + Math.floor((3 + rand() * 25) * DAY);
      events.push(event(outcomeAt, { type: 'track', name: HAND_RAISE }));
      events.push(event(outcomeAt + 2 * DAY, { type: 'track', name: LEAK_EVENT }));
      // Bots crawl a trap path on converting contacts only, before the outcome.
      events.push(event(start + 1, { type: 'page', path: BOT_TRAP }, true));
    }
    contacts.push({
      id,
      profile: { email: `${id}@acme.test`, user_id: null, traits: {} },
      events,
      outcome_at: outcomeAt,
      did,
    });
  }
  return contacts;
}
