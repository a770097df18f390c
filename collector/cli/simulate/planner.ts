/**
 * From a seed to a list of visitor plans. Visitor i depends only on (seed, i): a larger
 * --visitors adds visitors without changing the first ones, and the first nine cover every
 * journey once (in a seed-shuffled order) so even a small run tells the whole story.
 */
import { draftJourney, JOURNEY_KINDS, JOURNEYS, type JourneyKind, type SessionDraft } from './journeys';
import type { SessionPlan, VisitorPlan } from './plan';
import { createRandom, deriveSeed, type Random } from './random';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The collector refuses events older than 7 days; stay an hour inside that. */
export const MAX_DAYS = 7;

export function journeyOf(seed: number, index: number): JourneyKind {
  if (index < JOURNEY_KINDS.length) {
    return createRandom(deriveSeed(seed, 0x6b696e64)).shuffle(JOURNEY_KINDS)[index]!;
  }
  const rng = createRandom(deriveSeed(seed, index, 0x6a6f75));
  return rng.weighted(JOURNEY_KINDS.map((kind) => [kind, JOURNEYS[kind].weight] as const));
}

const duration = (draft: SessionDraft) => draft.steps.reduce((sum, step) => sum + step.wait, 0);

/**
 * When each session starts, in ms before the reference time: returning visitors come back on
 * later days (0.7–2.2 days apart, squeezed when the window is short), and every session has
 * ended a couple of minutes before the reference time.
 */
function layout(rng: Random, drafts: SessionDraft[], windowMs: number): number[] {
  const gaps = drafts.slice(1).map(() => (0.7 + rng.next() * 1.5) * DAY);
  const total = gaps.reduce((sum, gap) => sum + gap, 0);
  const squeeze = total > windowMs * 0.8 ? (windowMs * 0.8) / total : 1;
  let offset = total * squeeze + (windowMs - total * squeeze) * rng.next();
  const starts = [offset];
  for (const gap of gaps) {
    offset -= gap * squeeze;
    starts.push(offset);
  }
  return starts.map((start, i) => Math.max(Math.round(start), duration(drafts[i]!) + 2 * MINUTE));
}

export function planVisitor(seed: number, index: number, days: number): VisitorPlan {
  const kind = journeyOf(seed, index);
  const rng = createRandom(deriveSeed(seed, index));
  const anon = rng.id();
  const draft = draftJourney(kind, rng);
  const windowMs = Math.max(1, Math.min(days, MAX_DAYS)) * DAY - HOUR;
  const starts = layout(rng, draft.sessions, windowMs);
  const sessions: SessionPlan[] = draft.sessions.map((s, i) => ({
    id: rng.id(),
    source: s.source,
    startsBefore: starts[i]!,
    steps: s.steps,
  }));
  return {
    index,
    kind,
    anon,
    userAgent: draft.userAgent,
    ...(draft.person ? { person: draft.person } : {}),
    sessions,
    idSeed: deriveSeed(seed, index, 0x6964),
  };
}

export function planVisitors(seed: number, count: number, days: number): VisitorPlan[] {
  return Array.from({ length: count }, (_, index) => planVisitor(seed, index, days));
}
