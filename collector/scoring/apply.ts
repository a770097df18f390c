/**
 * The impure shell around the pure scoring core: lock each contact, load its events and profile,
 * score, write the result, record stage transitions (and their webhooks). Runs inside the
 * caller's write transaction — the ingest group commit, a rescore batch or a decay refresh — so
 * the score, the transitions and the outbox rows commit together or not at all.
 *
 * Every call re-scores a contact from its whole event log: the live path and `npm run rescore`
 * are then the same computation, and out-of-order events cannot leave a stale partial state.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import { type DialectName, forUpdate } from '../storage/database';
import type { ContactRow, Database } from '../storage/schema';
import { updateById } from '../storage/update-by-id';
import type { ScoringEvent } from './core/events';
import { automaticTransitions } from './core/lifecycle';
import { dateMoves } from './core/move-time';
import { type BreakdownLine, score } from './core/score';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from './rows';
import { recordRuleset, recordTransition } from './store';

export interface ScoringContext {
  trx: Kysely<Database>;
  dialect: DialectName;
  config: Config;
  now: number;
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

export interface ScoringSummary {
  contacts: number;
  events: number;
  transitions: number;
}

async function scoreOne(
  ctx: ScoringContext,
  contact: LockedContact,
  events: ScoringEvent[],
  once: { rulesetRecorded: boolean },
): Promise<number> {
  const { trx, config, now } = ctx;
  const rules = config.scoring;
  const profile = profileOf(contact);
  // Another process's clock may be a little ahead of ours: never leave its events out.
  const asOf = events.reduce((latest, e) => Math.max(latest, e.ts), now);
  const result = score(events, profile, rules, asOf);
  const moves = automaticTransitions(
    { stage: contact.stage, stage_changed_at: Number(contact.stage_changed_at), profile },
    result,
    events,
    rules,
  );
  // Moves caused by imported history carry their event time and notify nobody (core/move-time.ts).
  const since = contact.stage === 'recycled' ? Number(contact.stage_changed_at) : Number.NEGATIVE_INFINITY;
  const dated = dateMoves(moves, events, profile, rules, now, since);
  const final = dated.at(-1);
  const firstAt = (stage: string) => dated.find((d) => d.move.to === stage)?.at ?? null;
  await updateById(trx, 'contacts', contact.id, {
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
    ...(final
      ? {
          stage: final.move.to,
          stage_changed_at: final.at,
          mql_at: contact.mql_at ?? firstAt('mql'),
          sql_at: contact.sql_at ?? firstAt('sql'),
        }
      : {}),
  });
  if (moves.length > 0) {
    // Transitions name a ruleset version: make sure it is stored (once per call is enough).
    if (!once.rulesetRecorded) await recordRuleset(trx, rules, now);
    once.rulesetRecorded = true;
    for (const { move, at, past } of dated)
      await recordTransition(trx, config, contact, move, 'auto', at, { notify: !past });
  }
  return moves.length;
}

/**
 * Re-scores each contact. Callers pass ids sorted, and rows are locked in id order, so two
 * transactions scoring overlapping contacts on PostgreSQL wait for each other instead of
 * deadlocking; the second then reads the first's committed events and stage, so no points are
 * lost and no transition is recorded twice.
 */
export async function scoreContacts(
  ctx: ScoringContext,
  contactIds: Iterable<string>,
): Promise<ScoringSummary> {
  const summary: ScoringSummary = { contacts: 0, events: 0, transitions: 0 };
  const once = { rulesetRecorded: false };
  const ids = [...new Set(contactIds)].sort();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const contacts = await forUpdate(
      ctx.trx.selectFrom('contacts').select(CONTACT_COLUMNS).where('id', 'in', chunk).orderBy('id'),
      ctx.dialect,
    ).execute();
    if (contacts.length === 0) continue;
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
    summary.contacts += contacts.length;
    summary.events += rows.length;
    for (const contact of contacts) {
      summary.transitions += await scoreOne(ctx, contact, byContact.get(contact.id) ?? [], once);
    }
  }
  return summary;
}
