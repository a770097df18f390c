/**
 * Feeds every contact, its log and its recorded outcomes to the pure audit, a batch at a time in
 * id order (so the report is the same byte for byte on the same data), reading only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import type { AuditContact } from './core/audit/examples';
import { type AuditOutcome, outcomeReachedAt } from './core/audit/outcome';
import { type AuditOptions, createAudit } from './core/audit/report';
import { type AuditWindow, auditOptions } from './core/audit/run';
import type { ScoringEvent } from './core/events';
import type { Ruleset } from './core/rules';
import { profileOf, SCORING_COLUMNS, scoringEventOf } from './rows';

export interface AuditProgress {
  batchSize?: number;
  onStart?(total: number): void;
  onBatch?(done: number): void;
}

function group<T extends { contact_id: string | null }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.contact_id!);
    if (list) list.push(row);
    else map.set(row.contact_id!, [row]);
  }
  return map;
}

/** Every contact as the audit sees it, batch by batch. */
export async function* auditContacts(
  db: Kysely<Database>,
  outcome: AuditOutcome,
  before: number,
  progress: AuditProgress = {},
): AsyncGenerator<AuditContact[]> {
  const batchSize = progress.batchSize ?? 1000;
  const { count } = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  progress.onStart?.(Number(count));
  let after = '';
  let done = 0;
  for (;;) {
    const contacts = await db
      .selectFrom('contacts')
      .select(['id', 'email', 'user_id', 'traits'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (contacts.length === 0) break;
    after = contacts.at(-1)!.id;
    const ids = contacts.map((c) => c.id);
    const [events, transitions, imported] = await Promise.all([
      db
        .selectFrom('events')
        .select(SCORING_COLUMNS)
        // A range of the (contact_id, ts) index rather than a list of ids: one ordered walk.
        .where('contact_id', '>=', ids[0]!)
        .where('contact_id', '<=', after)
        // Later identify events still say the contact was anonymous before them (profileAsOf).
        .where((eb) => eb.or([eb('ts', '<', before), eb('type', '=', 'identify')]))
        .execute(),
      db
        .selectFrom('transitions')
        .select(['contact_id', 'to_stage', 'at'])
        .where('contact_id', 'in', ids)
        .execute(),
      db
        .selectFrom('outcomes')
        .select(['contact_id', 'outcome', 'at'])
        .where('contact_id', 'in', ids)
        .execute(),
    ]);
    const eventsOf = new Map<string, ScoringEvent[]>();
    for (const row of events) {
      if (row.contact_id === null) continue;
      const list = eventsOf.get(row.contact_id);
      const event = scoringEventOf(row);
      if (list) list.push(event);
      else eventsOf.set(row.contact_id, [event]);
    }
    const transitionsOf = group(transitions);
    const importedOf = group(imported);
    yield contacts.map((c) => ({
      id: c.id,
      profile: profileOf(c),
      events: eventsOf.get(c.id) ?? [],
      outcome_at: outcomeReachedAt(outcome, {
        transitions: (transitionsOf.get(c.id) ?? []).map((t) => ({ to: t.to_stage, at: Number(t.at) })),
        imported: (importedOf.get(c.id) ?? []).map((o) => ({ outcome: o.outcome, at: Number(o.at) })),
      }),
    }));
    done += contacts.length;
    progress.onBatch?.(done);
  }
}

export async function runAudit(
  db: Kysely<Database>,
  rules: Ruleset,
  window: AuditWindow,
  progress: AuditProgress = {},
  extra: Partial<AuditOptions> = {},
) {
  const options = auditOptions(window, extra);
  const audit = createAudit(rules, options);
  // Events at or after the last cutoff never reach an example.
  const before = (options.cutoffs.at(-1) ?? window.from) + 1;
  for await (const batch of auditContacts(db, window.outcome, before, progress)) {
    for (const contact of batch) audit.add(contact);
  }
  return audit;
}
