/**
 * Stores imported outcomes and moves stages forward for them, in one transaction per request.
 * A row naming an unknown contact is answered as an error and the rest are stored. A row whose
 * `external_id` was stored before is answered `duplicate` and changes nothing, so re-sending the
 * same export is safe. A forward outcome (sql, opportunity, won → customer) moves the contact's
 * stage, recorded as a transition by actor `import` at the outcome's own time.
 */
import type { Kysely } from 'kysely';
import { STAGE_RANK, type Stage } from '../../shared/stages';
import type { OutcomeInput, OutcomeName, ParsedRow } from '../api/outcomes-body';
import { enqueueWebhooks } from '../outbox/enqueue';
import type { Services } from '../services';
import { forUpdate, writeTransaction } from '../storage/database';
import type { Database } from '../storage/schema';
import { normaliseEmail } from './core/email';
import { recordRuleset, recordTransition } from './store';

export const IMPORT_ACTOR = 'import';

/** The stage a forward outcome reaches; lost and disqualified are recorded without a move. */
export const OUTCOME_STAGE: Readonly<Record<OutcomeName, Stage | null>> = {
  sql: 'sql',
  opportunity: 'opportunity',
  won: 'customer',
  lost: null,
  disqualified: null,
};

export type OutcomeResult =
  | {
      index: number;
      status: 'stored';
      id: number;
      contact_id: string;
      transition: { from: Stage; to: Stage } | null;
    }
  | { index: number; status: 'duplicate'; contact_id: string; external_id: string }
  | { index: number; status: 'error'; error: { field: string; message: string } };

export interface ImportReport {
  stored: number;
  duplicates: number;
  errors: number;
  results: OutcomeResult[];
}

interface ContactRef {
  id: string;
  site: string;
  email: string | null;
}

async function findContacts(trx: Kysely<Database>, rows: OutcomeInput[]) {
  const keys = [...new Set(rows.map((r) => r.contact))];
  const emails = [...new Set(keys.filter((k) => k.includes('@')).map(normaliseEmail))];
  const ids = keys.filter((k) => !k.includes('@'));
  const found: ContactRef[] = [];
  for (let i = 0; i < Math.max(ids.length, emails.length); i += 500) {
    const idChunk = ids.slice(i, i + 500);
    const emailChunk = emails.slice(i, i + 500);
    found.push(
      ...(await trx
        .selectFrom('contacts')
        .select(['id', 'site', 'email'])
        .where((eb) =>
          eb.or([
            ...(idChunk.length ? [eb('id', 'in', idChunk)] : []),
            ...(emailChunk.length ? [eb('email', 'in', emailChunk)] : []),
          ]),
        )
        .execute()),
    );
  }
  const byId = new Map(found.map((c) => [c.id, c]));
  const byEmail = new Map<string, ContactRef[]>();
  for (const c of found) if (c.email) byEmail.set(c.email, [...(byEmail.get(c.email) ?? []), c]);
  return (row: OutcomeInput): ContactRef | { field: string; message: string } => {
    const matches = row.contact.includes('@')
      ? (byEmail.get(normaliseEmail(row.contact)) ?? [])
      : [byId.get(row.contact)].filter((c): c is ContactRef => c !== undefined);
    const inSite = row.site ? matches.filter((c) => c.site === row.site) : matches;
    if (inSite.length === 0) return { field: 'contact', message: `no contact ${row.contact}` };
    if (inSite.length > 1)
      return { field: 'site', message: `${row.contact} is a contact on several sites: add "site"` };
    return inSite[0]!;
  };
}

async function storedExternalIds(trx: Kysely<Database>, rows: OutcomeInput[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.external_id ? [r.external_id] : [])))];
  const stored = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await trx
      .selectFrom('outcomes')
      .select(['site', 'external_id', 'contact_id'])
      .where('external_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const f of found) stored.set(`${f.site}\u0000${f.external_id}`, f.contact_id);
  }
  return stored;
}

async function moveForward(
  trx: Kysely<Database>,
  services: Services,
  contact: ContactRef,
  row: OutcomeInput,
  now: number,
): Promise<{ from: Stage; to: Stage } | null> {
  const to = OUTCOME_STAGE[row.outcome];
  if (!to) return null;
  const current = await forUpdate(
    trx,
    trx.selectFrom('contacts').select(['stage', 'sql_at', 'version']).where('id', '=', contact.id),
  ).executeTakeFirstOrThrow();
  if (STAGE_RANK[to] <= STAGE_RANK[current.stage]) return null;
  await trx
    .updateTable('contacts')
    .set({
      stage: to,
      stage_changed_at: row.at,
      sql_at: current.sql_at ?? (STAGE_RANK[to] >= STAGE_RANK.sql ? row.at : null),
      version: current.version + 1,
      updated_at: now,
    })
    .where('id', '=', contact.id)
    .execute();
  const rules = services.config.scoring;
  const transition = await recordTransition(
    trx,
    contact,
    {
      from: current.stage,
      to,
      reason: `outcome ${row.outcome} imported${row.external_id ? ` (${row.external_id})` : ''}`,
      event_ids: [],
      ruleset_version: rules.version,
    },
    IMPORT_ACTOR,
    row.at,
  );
  // Webhooks go out now, for a move that happened at `at`.
  await enqueueWebhooks(trx, services.config, [transition], now);
  return { from: current.stage, to };
}

export async function importOutcomes(
  services: Services,
  parsed: ParsedRow[],
  actor: string,
): Promise<ImportReport> {
  const now = services.clock();
  const valid = parsed.flatMap((p) => (p.ok ? [p.row] : []));
  return writeTransaction(services.db, async (trx) => {
    const contactOf = await findContacts(trx, valid);
    const stored = await storedExternalIds(trx, valid);
    await recordRuleset(trx, services.config.scoring, now);
    const report: ImportReport = { stored: 0, duplicates: 0, errors: 0, results: [] };
    for (const [index, item] of parsed.entries()) {
      if (!item.ok) {
        report.errors += 1;
        report.results.push({ index, status: 'error', error: { field: item.field, message: item.message } });
        continue;
      }
      const row = item.row;
      const contact = contactOf(row);
      if (!('id' in contact)) {
        report.errors += 1;
        report.results.push({ index, status: 'error', error: contact });
        continue;
      }
      const key = row.external_id ? `${contact.site}\u0000${row.external_id}` : null;
      if (key && stored.has(key)) {
        report.duplicates += 1;
        report.results.push({
          index,
          status: 'duplicate',
          contact_id: stored.get(key)!,
          external_id: row.external_id!,
        });
        continue;
      }
      const inserted = await trx
        .insertInto('outcomes')
        .values({
          site: contact.site,
          contact_id: contact.id,
          outcome: row.outcome,
          at: row.at,
          amount: row.amount,
          currency: row.currency,
          external_id: row.external_id,
          actor,
          received_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (key) stored.set(key, contact.id);
      const transition = await moveForward(trx, services, contact, row, now);
      report.stored += 1;
      report.results.push({
        index,
        status: 'stored',
        id: Number(inserted.id),
        contact_id: contact.id,
        transition,
      });
    }
    return report;
  });
}
