/**
 * "Test a record": one contact's score under the live ruleset and a draft, side by side and line
 * by line, from its whole log (the same pure score() the live path runs). Reads only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import type { Ruleset } from './core/rules';
import { type BreakdownLine, type ScoreResult, score } from './core/score';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from './rows';

export interface ComparedLine {
  rule: string;
  label: string;
  kind: BreakdownLine['kind'];
  live: { count: number; points: number; decayed: number } | null;
  draft: { count: number; points: number; decayed: number } | null;
  /** draft − live, in what the lines add to the score now. */
  delta: number;
}

export interface ContactComparison {
  contact: { id: string; email: string | null; stage: string };
  as_of: number;
  live: Omit<ScoreResult, 'breakdown'>;
  draft: Omit<ScoreResult, 'breakdown'>;
  lines: ComparedLine[];
}

const side = (line: BreakdownLine | undefined) =>
  line ? { count: line.count, points: line.points, decayed: line.decayed } : null;

const withoutBreakdown = ({ breakdown: _, ...rest }: ScoreResult) => rest;

export async function compareContact(
  db: Kysely<Database>,
  contactId: string,
  live: Ruleset,
  draft: Ruleset,
  now: number,
): Promise<ContactComparison | undefined> {
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'user_id', 'traits', 'stage'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact) return undefined;
  const events = (
    await db.selectFrom('events').select(SCORING_COLUMNS).where('contact_id', '=', contactId).execute()
  ).map(scoringEventOf);
  const profile = profileOf(contact);
  const asOf = events.reduce((latest, e) => Math.max(latest, e.ts), now);
  const before = score(events, profile, live, asOf);
  const after = score(events, profile, draft, asOf);
  const rules = [...new Set([...before.breakdown, ...after.breakdown].map((line) => line.rule))];
  const lines = rules.map((rule): ComparedLine => {
    const a = before.breakdown.find((line) => line.rule === rule);
    const b = after.breakdown.find((line) => line.rule === rule);
    const any = (b ?? a)!;
    return {
      rule,
      label: any.label,
      kind: any.kind,
      live: side(a),
      draft: side(b),
      delta: Math.round(((b?.decayed ?? 0) - (a?.decayed ?? 0)) * 10) / 10,
    };
  });
  return {
    contact: { id: contact.id, email: contact.email, stage: contact.stage },
    as_of: asOf,
    live: withoutBreakdown(before),
    draft: withoutBreakdown(after),
    lines,
  };
}
