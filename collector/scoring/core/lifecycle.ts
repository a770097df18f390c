/**
 * Automatic lifecycle moves, pure: (contact's stage, score result, events, rules) → the next
 * transition or null. Automatic moves only go forward (STAGE_RANK):
 *   visitor → lead   the contact has an email or a user id
 *   lead → mql       identified and total score ≥ mql_threshold
 *   → sql            a hand-raise event, or every BANT trait present
 * A `recycled` lead (rejected by sales) can come back, but only on what happens after it was
 * recycled: its score counting events since then, a new hand-raise, BANT completed since then.
 * `disqualified` is sales' final word: nothing automatic moves a contact out of it.
 */
import { STAGE_RANK, type Stage } from '../../../shared/stages';
import { traitValue } from './compile';
import { byTime, effectiveProfile, isIdentified, type ScoringEvent, type ScoringProfile } from './events';
import type { Ruleset } from './rules';
import { type ScoreResult, score } from './score';

export interface LifecycleContact {
  stage: Stage;
  stage_changed_at: number;
  profile: ScoringProfile;
}

export interface AutoTransition {
  from: Stage;
  to: Stage;
  reason: string;
  event_ids: string[];
  ruleset_version: number;
}

/** Transitions keep the causing events' ids; a long history is cut to the newest ones. */
export const MAX_CAUSE_IDS = 20;

const newest = (events: ScoringEvent[]): string[] =>
  [...events]
    .sort(byTime)
    .slice(-MAX_CAUSE_IDS)
    .reverse()
    .map((e) => e.id);

const canMove = (from: Stage, to: Stage) => STAGE_RANK[to] > STAGE_RANK[from];

interface Context {
  contact: LifecycleContact;
  result: ScoreResult;
  /** Human events up to the score's as-of moment, in time order. */
  events: ScoringEvent[];
  rules: Ruleset;
  /** Only events after this count (a recycled lead earns its way back). */
  since: number;
}

function mqlMove(ctx: Context): Omit<AutoTransition, 'from' | 'ruleset_version'> | null {
  const { rules, since } = ctx;
  const recycled = since > Number.NEGATIVE_INFINITY;
  const result = recycled
    ? score(
        ctx.events.filter((e) => e.ts > since),
        ctx.contact.profile,
        rules,
        ctx.result.as_of,
      )
    : ctx.result;
  if (result.total < rules.mql_threshold) return null;
  const lines = result.breakdown.filter((l) => l.kind === 'engagement' && l.decayed > 0);
  const top = [...lines]
    .sort((a, b) => b.decayed - a.decayed)
    .slice(0, 3)
    .map((l) => `${l.rule} ${l.decayed}`);
  const contributing = new Set(lines.flatMap((l) => l.event_ids));
  return {
    to: 'mql',
    reason:
      `score ${result.total}${recycled ? ' since recycled' : ''} ≥ MQL threshold ${rules.mql_threshold}` +
      ` (fit ${result.fit} + engagement ${result.engagement})${top.length ? `; top: ${top.join(', ')}` : ''}`,
    event_ids: newest(ctx.events.filter((e) => contributing.has(e.id))),
  };
}

function sqlMove(ctx: Context): Omit<AutoTransition, 'from' | 'ruleset_version'> | null {
  const { rules, since } = ctx;
  const handRaise = new Set(rules.hand_raise);
  const raised = ctx.events.filter(
    (e) => e.ts > since && e.type === 'track' && e.name && handRaise.has(e.name),
  );
  if (raised.length > 0) {
    const names = [...new Set(raised.map((e) => e.name))].join(', ');
    return { to: 'sql', reason: `hand-raise: ${names}`, event_ids: newest(raised) };
  }
  if (rules.bant.length === 0) return null;
  const profile = effectiveProfile(ctx.contact.profile, ctx.events);
  if (rules.bant.some((name) => traitValue(rules, profile.traits, name) === undefined)) return null;
  const carriers = ctx.events.filter(
    (e) =>
      e.ts > since &&
      e.type === 'identify' &&
      rules.bant.some((name) => traitValue(rules, e.traits ?? {}, name) !== undefined),
  );
  // Recycled: BANT must have been (re)completed after the rejection, not just still be on file.
  if (since > Number.NEGATIVE_INFINITY && carriers.length === 0) return null;
  return { to: 'sql', reason: `BANT complete: ${rules.bant.join(', ')}`, event_ids: newest(carriers) };
}

function identifyMove(ctx: Context): Omit<AutoTransition, 'from' | 'ruleset_version'> {
  const { profile } = ctx.contact;
  const named = ctx.events.filter((e) => e.type === 'identify' && e.user);
  return {
    to: 'lead',
    reason: `identified as ${profile.email ?? profile.user_id}`,
    event_ids: named.slice(0, 1).map((e) => e.id),
  };
}

function next(ctx: Context): AutoTransition | null {
  const { stage, profile } = ctx.contact;
  if (stage === 'disqualified' || !isIdentified(profile)) return null;
  const candidates = [
    () => (stage === 'visitor' ? identifyMove(ctx) : null),
    () => (canMove(stage, 'mql') ? mqlMove(ctx) : null),
    () => (canMove(stage, 'sql') ? sqlMove(ctx) : null),
  ];
  for (const candidate of candidates) {
    const move = candidate();
    if (move) return { from: stage, ...move, ruleset_version: ctx.rules.version };
  }
  return null;
}

const humanEventsUpTo = (events: readonly ScoringEvent[], asOf: number) =>
  events.filter((e) => !e.bot && e.ts <= asOf).sort(byTime);

/** The one next automatic move for this contact, or null. */
export function nextTransition(
  contact: LifecycleContact,
  result: ScoreResult,
  events: readonly ScoringEvent[],
  rules: Ruleset,
): AutoTransition | null {
  const since = contact.stage === 'recycled' ? contact.stage_changed_at : Number.NEGATIVE_INFINITY;
  return next({ contact, result, events: humanEventsUpTo(events, result.as_of), rules, since });
}

/** Every automatic move one update makes, in order (visitor → lead → mql → sql is three). */
export function automaticTransitions(
  contact: LifecycleContact,
  result: ScoreResult,
  events: readonly ScoringEvent[],
  rules: Ruleset,
): AutoTransition[] {
  const since = contact.stage === 'recycled' ? contact.stage_changed_at : Number.NEGATIVE_INFINITY;
  const ctx: Context = { contact, result, events: humanEventsUpTo(events, result.as_of), rules, since };
  const moves: AutoTransition[] = [];
  for (let move = next(ctx); move; move = next(ctx)) {
    moves.push(move);
    ctx.contact = { ...ctx.contact, stage: move.to };
  }
  return moves;
}
