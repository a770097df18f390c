/**
 * Visits derived from the log: the SDK sends a session id with every event (a new one after 30
 * minutes idle or a new campaign); scoring turns that into "a session started" and "a return
 * visit" — the first session of a UTC day later than the contact's first day.
 */
import type { ScoringEvent } from './events';

export const DAY_MS = 86_400_000;

export const dayOf = (ts: number): number => Math.floor(ts / DAY_MS);

export interface Visit {
  sessionStart: boolean;
  returnVisit: boolean;
}

const NO_VISIT: Visit = { sessionStart: false, returnVisit: false };

/** For events already in time order (bots excluded): which ones start a session or a return visit. */
export function deriveVisits(sorted: readonly ScoringEvent[]): Visit[] {
  const sessions = new Set<string>();
  const daysWithSession = new Set<number>();
  let firstDay: number | null = null;
  return sorted.map((event) => {
    if (!event.session || sessions.has(event.session)) return NO_VISIT;
    sessions.add(event.session);
    const day = dayOf(event.ts);
    firstDay ??= day;
    const returnVisit = day !== firstDay && !daysWithSession.has(day);
    daysWithSession.add(day);
    return { sessionStart: true, returnVisit };
  });
}
