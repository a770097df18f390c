/**
 * The impure shell around the pure scoring core, in two stages that run inside the caller's write
 * transaction (the ingest group commit, a rescore batch or a decay refresh):
 *   scoreContacts: lock each contact, load its events and profile, score, write the score;
 *   advanceLifecycle: move the contacts the new scores qualify and record their transitions.
 * The caller hands the transitions to the outbox in the same transaction, so the score, the
 * transitions and their webhooks commit together or not at all.
 *
 * Every call re-scores a contact from its whole event log: the live path and `npm run rescore`
 * are then the same computation, and out-of-order events cannot leave a stale partial state.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import { forUpdate } from '../storage/database';
import type { ContactRow, Database, TransitionRow } from '../storage/schema';
import { type RowUpdate, updateManyById } from '../storage/update-many';
import type { ScoringEvent, ScoringProfile } from './core/events';
import { automaticTransitions } from './core/lifecycle';
import { dateMoves } from './core/move-time';
import type { Ruleset } from './core/rules';
import { type BreakdownLine, type ScoreResult, score } from './core/score';
import type { LiveRules } from './live-rules';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from './rows';
import { recordRuleset, recordTransitions, type TransitionInput } from './store';

export interface ScoringContext {
  trx: Kysely<Database>;
  config: Config;
  now: number;
  /** Which ruleset is live: read after each chunk of contacts is locked (live-rules.ts). */
  live: LiveRules;
  /** Recorded as the actor of automatic transitions (default `auto`; a publish names its publisher). */
  actor?: string;
}

/** Contacts per lock-and-load round trip. */
const CHUNK = 200;
/** A stored breakdown line keeps this many of its newest event ids (and the full count). */
export const STORED_IDS_PER_LINE = 100;

const CONTACT_COLUMNS = [
  'id',
  'site',
  'email',
  'user_id',
  'traits',
  'country',
  'asn',
  'net_org',
  'net_kind',
  'stage',
  'stage_changed_at',
  'mql_at',
  'sql_at',
  'version',
] as const satisfies readonly (keyof ContactRow)[];

type LockedContact = Pick<ContactRow, (typeof CONTACT_COLUMNS)[number]>;

/** What is stored in `contacts.breakdown`: the lines, with very long id lists cut to the newest. */
export function storedBreakdown(lines: BreakdownLine[]): string {
  return JSON.stringify(
    lines.map((line) =>
      line.event_ids.length > STORED_IDS_PER_LINE
        ? { ...line, event_ids: line.event_ids.slice(-STORED_IDS_PER_LINE) }
        : line,
    ),
  );
}

/** A contact as the score stage left it: locked, its events loaded, its new score written. */
export interface ScoredContact {
  contact: LockedContact;
  profile: ScoringProfile;
  events: ScoringEvent[];
  result: ScoreResult;
  /** The ruleset it was scored under (the live one when its row was locked). */
  rules: Ruleset;
}

/** One contact's fresh score, and the row update that stores it (written with the others). */
function scoreOne(
  ctx: ScoringContext,
  rules: Ruleset,
  contact: LockedContact,
  events: ScoringEvent[],
): { scored: ScoredContact; update: RowUpdate<'contacts'> } {
  const { now } = ctx;
  const profile = profileOf(contact);
  // Another process's clock may be a little ahead of ours: never leave its events out.
  const asOf = events.reduce((latest, e) => Math.max(latest, e.ts), now);
  const result = score(events, profile, rules, asOf);
  const changes = {
    score: result.total,
    fit: result.fit,
    engagement: result.engagement,
    grade: result.grade,
    temperature: result.temperature,
    breakdown: storedBreakdown(result.breakdown),
    scored_at: now,
    ruleset_version: rules.version,
    version: contact.version + 1,
    updated_at: now,
  };
  return { scored: { contact, profile, events, result, rules }, update: { id: contact.id, changes } };
}

/**
 * Re-scores each contact. Callers pass ids sorted, and rows are locked in id order, so two
 * transactions scoring overlapping contacts on PostgreSQL wait for each other instead of
 * deadlocking; the second then reads the first's committed events and stage, so no points are
 * lost and no transition is recorded twice.
 *
 * The live ruleset is read after each chunk is locked: a publish that committed before the lock
 * was granted is seen, so a contact its rescore already passed is never scored again under the
 * ruleset it replaced.
 */
export async function scoreContacts(
  ctx: ScoringContext,
  contactIds: Iterable<string>,
): Promise<ScoredContact[]> {
  const scored: ScoredContact[] = [];
  const ids = [...new Set(contactIds)].sort();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const contacts = await forUpdate(
      ctx.trx,
      ctx.trx.selectFrom('contacts').select(CONTACT_COLUMNS).where('id', 'in', chunk).orderBy('id'),
    ).execute();
    if (contacts.length === 0) continue;
    const rules = await ctx.live.current(ctx.trx);
    const rows = await ctx.trx
      .selectFrom('events')
      .select(SCORING_COLUMNS)
      .where(
        'contact_id',
        'in',
        contacts.map((c) => c.id),
      )
      .execute();
    const byContact = new Map<string, ScoringEvent[]>();
    for (const row of rows) {
      const list = byContact.get(row.contact_id!);
      const event = scoringEventOf(row);
      if (list) list.push(event);
      else byContact.set(row.contact_id!, [event]);
    }
    const updates: RowUpdate<'contacts'>[] = [];
    for (const contact of contacts) {
      const one = scoreOne(ctx, rules, contact, byContact.get(contact.id) ?? []);
      scored.push(one.scored);
      updates.push(one.update);
    }
    // The chunk's scores in one statement on PostgreSQL (one per contact on SQLite).
    await updateManyById(ctx.trx, 'contacts', updates);
  }
  return scored;
}

/**
 * The automatic stage moves the new scores call for (the pure rules of core/lifecycle.ts):
 * writes each moving contact's stage and records its transitions, in order. Returns the
 * transitions recorded, for the caller to hand to the outbox.
 */
export async function advanceLifecycle(
  ctx: ScoringContext,
  scored: readonly ScoredContact[],
): Promise<TransitionRow[]> {
  const { trx, now } = ctx;
  const stages: RowUpdate<'contacts'>[] = [];
  const moved: { contact: LockedContact; move: TransitionInput; at: number }[] = [];
  const versions = new Map<number, Ruleset>();
  for (const { contact, profile, events, result, rules } of scored) {
    const moves = automaticTransitions(
      { stage: contact.stage, stage_changed_at: Number(contact.stage_changed_at), profile },
      result,
      events,
      rules,
    );
    // Moves caused by imported history carry their cause's time (core/move-time.ts); the outbox
    // calls nobody about those (outbox/enqueue.ts). A publish moves people now: the rules
    // changed now.
    const since = contact.stage === 'recycled' ? Number(contact.stage_changed_at) : Number.NEGATIVE_INFINITY;
    const dated = ctx.actor
      ? moves.map((move) => ({ move, at: now }))
      : dateMoves(moves, events, profile, rules, now, since);
    const final = dated.at(-1);
    if (!final) continue;
    const firstAt = (stage: string) => dated.find((d) => d.move.to === stage)?.at ?? null;
    stages.push({
      id: contact.id,
      changes: {
        stage: final.move.to,
        stage_changed_at: final.at,
        mql_at: contact.mql_at ?? firstAt('mql'),
        sql_at: contact.sql_at ?? firstAt('sql'),
      },
    });
    versions.set(rules.version, rules);
    for (const { move, at } of dated) moved.push({ contact, move, at });
  }
  if (moved.length === 0) return [];
  // A constant number of statements however many contacts move: their stages in one, the
  // rulesets their transitions name, and the transitions in order.
  await updateManyById(trx, 'contacts', stages);
  for (const rules of versions.values()) await recordRuleset(trx, rules, now);
  return recordTransitions(trx, moved, ctx.actor ?? 'auto', now);
}
