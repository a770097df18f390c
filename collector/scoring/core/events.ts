/**
 * What the pure scoring core reads: an event reduced to the fields rules can look at, and the
 * contact's profile. Conversions from stored rows live in the shell (`scoring/rows.ts`), so the core never sees the database.
 */
import type { Props } from '../../../shared/events';

export interface ScoringEvent {
  id: string;
  type: string;
  name: string | null;
  /** Event time (server-corrected): the only clock scoring trusts. */
  ts: number;
  session: string | null;
  path: string | null;
  props: Props | null;
  traits: Props | null;
  user: string | null;
  /** Flagged by the bot list or `navigator.webdriver`: never scores, shown as excluded. */
  bot: boolean;
}

export interface ScoringProfile {
  email: string | null;
  user_id: string | null;
  traits: Props;
  /** Where the contact was last seen from: country code and network (looked up at ingest). */
  place?: ProfilePlace;
}

export interface ProfilePlace {
  country: string | null;
  net: { asn: number; org: string; kind: string } | null;
}

/** Events in event-time order (ties by id), so results never depend on arrival order. */
export const byTime = (a: ScoringEvent, b: ScoringEvent): number =>
  a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const isIdentified = (profile: ScoringProfile): boolean => !!(profile.email || profile.user_id);

/**
 * The profile as scoring sees it: stored traits overlaid with the traits of identify events in
 * event-time order, so that two identifies arriving out of order still let the later one win.
 */
export function effectiveProfile(profile: ScoringProfile, sorted: readonly ScoringEvent[]): ScoringProfile {
  let traits: Props | null = null;
  for (const event of sorted) {
    if (event.type !== 'identify' || event.bot || !event.traits) continue;
    traits = { ...(traits ?? profile.traits), ...event.traits };
  }
  return traits ? { ...profile, traits } : profile;
}

/**
 * The profile as it was at `asOf`, rebuilt from the log: traits from identify events up to then,
 * anonymous if no identify had named the contact yet. (A contact with no identify events in its
 * log keeps its stored profile.)
 */
export function profileAsOf(
  profile: ScoringProfile,
  events: readonly ScoringEvent[],
  asOf: number,
): ScoringProfile {
  const identifies = events.filter((e) => e.type === 'identify' && !e.bot);
  if (identifies.length === 0) return profile;
  const before = identifies.filter((e) => e.ts <= asOf).sort(byTime);
  const traits: Props = {};
  for (const event of before) Object.assign(traits, event.traits ?? {});
  const named = before.some((e) => e.user);
  return { email: named ? profile.email : null, user_id: named ? profile.user_id : null, traits };
}
