/**
 * `GET /api/reports/handoff`: speed-to-lead over the hand-offs (automatic moves to MQL or SQL)
 * in the range — the records are read here, the numbers come from handoff/speed.ts.
 */
import type { Kysely } from 'kysely';
import { type HandoffRecord, speedReport } from '../../handoff/speed';
import type { Database } from '../../storage/schema';
import { type ReportRange, rangeJson } from './range';

const ACCEPTS = ['sal', 'sql', 'opportunity', 'customer'];
const REJECTS = ['recycled', 'disqualified'];
/** Contacts per IN list. */
const CHUNK = 500;
/** Hand-offs read per report at most (newest kept). */
export const MAX_HANDOFFS = 50_000;

export async function handoffReport(db: Kysely<Database>, range: ReportRange, now: number) {
  const qualified = await db
    .selectFrom('transitions')
    .innerJoin('contacts', 'contacts.id', 'transitions.contact_id')
    .select([
      'transitions.contact_id',
      'transitions.to_stage',
      'transitions.at',
      'contacts.owner',
      'contacts.sla_started_at',
      'contacts.sla_due_at',
    ])
    .where('transitions.actor', '=', 'auto')
    .where('transitions.to_stage', 'in', ['mql', 'sql'])
    .where('transitions.site', 'in', range.sites)
    .where('transitions.at', '>=', range.from)
    .where('transitions.at', '<', range.to)
    .orderBy('transitions.at', 'desc')
    .limit(MAX_HANDOFFS)
    .execute();
  const ids = [...new Set(qualified.map((q) => q.contact_id))];
  const alerts = new Map<string, { event: string; created_at: number; delivered_at: number }[]>();
  const answers = new Map<string, { to_stage: string; reason: string; at: number }[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const alertRows = await db
      .selectFrom('outbox')
      .select(['contact_id', 'event', 'created_at', 'delivered_at'])
      .where('contact_id', 'in', chunk)
      .where('event', 'in', ['alert.mql', 'alert.sql'])
      .where('delivered_at', 'is not', null)
      .execute();
    for (const row of alertRows) {
      const list = alerts.get(row.contact_id!) ?? [];
      list.push({ event: row.event, created_at: row.created_at, delivered_at: row.delivered_at! });
      alerts.set(row.contact_id!, list);
    }
    const answerRows = await db
      .selectFrom('transitions')
      .select(['contact_id', 'to_stage', 'reason', 'at'])
      .where('contact_id', 'in', chunk)
      .where('actor', '<>', 'auto')
      .where('to_stage', 'in', [...ACCEPTS, ...REJECTS])
      .orderBy('at')
      .execute();
    for (const row of answerRows) {
      const list = answers.get(row.contact_id) ?? [];
      list.push(row);
      answers.set(row.contact_id, list);
    }
  }
  const records: HandoffRecord[] = qualified.map((q) => {
    const alert = (alerts.get(q.contact_id) ?? [])
      .filter((a) => a.event === `alert.${q.to_stage}` && a.created_at >= q.at)
      .sort((a, b) => a.delivered_at - b.delivered_at)[0];
    const answer = (answers.get(q.contact_id) ?? []).find((a) => a.at >= q.at);
    return {
      owner: q.owner,
      qualified_at: q.at,
      alerted_at: alert?.delivered_at ?? null,
      answered_at: answer?.at ?? null,
      answer: answer ? (REJECTS.includes(answer.to_stage) ? 'rejected' : 'accepted') : null,
      reject_reason: answer && REJECTS.includes(answer.to_stage) ? answer.reason : null,
      sla_due_at: q.sla_started_at === q.at ? q.sla_due_at : null,
    };
  });
  return { range: rangeJson(range), ...speedReport(records, now) };
}
