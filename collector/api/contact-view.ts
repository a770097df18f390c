/**
 * One contact as the API, the dashboard and webhooks show it: profile, score and why, stage
 * history, first/last touch, anonymous ids, account; and the timeline of their events.
 */
import type { Kysely } from 'kysely';
import { readJson, readJsonObject, readTraits } from '../json-column';
import type { Ruleset } from '../scoring/core/rules';
import type { Database, EventRow, TransitionRow } from '../storage/schema';
import { accountSummary } from './account-score';
import type { Cursor } from './cursor';

export async function loadContactView(db: Kysely<Database>, rules: Ruleset, id: string) {
  const contact = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!contact) return undefined;
  const [history, outcomes, anons, account] = await Promise.all([
    db
      .selectFrom('transitions')
      .selectAll()
      .where('contact_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('outcomes')
      .select(['id', 'outcome', 'at', 'amount', 'currency', 'external_id', 'actor'])
      .where('contact_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute(),
    db.selectFrom('anon_ids').select('anon').where('contact_id', '=', id).orderBy('created_at').execute(),
    contact.domain ? accountSummary(db, rules, contact.site, contact.domain) : undefined,
  ]);
  return {
    id: contact.id,
    site: contact.site,
    email: contact.email,
    user_id: contact.user_id,
    name: contact.name,
    company: contact.company,
    title: contact.title,
    domain: contact.domain,
    verified: contact.verified === 1,
    traits: readTraits(contact.traits),
    stage: contact.stage,
    score: contact.score,
    fit: contact.fit,
    engagement: contact.engagement,
    grade: contact.grade,
    temperature: contact.temperature,
    breakdown: readJson<unknown[]>(contact.breakdown, 'contacts.breakdown') ?? [],
    scored_at: contact.scored_at,
    ruleset_version: contact.ruleset_version,
    first_seen: contact.first_seen,
    last_seen: contact.last_seen,
    stage_changed_at: contact.stage_changed_at,
    mql_at: contact.mql_at,
    sql_at: contact.sql_at,
    first_touch: readJsonObject(contact.first_touch, 'contacts.first_touch'),
    last_touch: readJsonObject(contact.last_touch, 'contacts.last_touch'),
    source: contact.source,
    medium: contact.medium,
    campaign: contact.campaign,
    stage_history: history.map(transitionJson),
    outcomes: outcomes.map((o) => ({
      id: Number(o.id),
      outcome: o.outcome,
      at: Number(o.at),
      amount: o.amount === null ? null : Number(o.amount),
      currency: o.currency,
      external_id: o.external_id,
      actor: o.actor,
    })),
    anonymous_ids: anons.map((a) => a.anon),
    account: account ?? null,
  };
}

/** A stage transition as the API, the webhooks and the dashboard show it. */
export const transitionJson = (
  t: Pick<
    TransitionRow,
    'id' | 'from_stage' | 'to_stage' | 'reason' | 'event_ids' | 'actor' | 'ruleset_version' | 'at'
  >,
) => ({
  id: t.id,
  from: t.from_stage,
  to: t.to_stage,
  reason: t.reason,
  event_ids: readJson<string[]>(t.event_ids, 'transitions.event_ids') ?? [],
  actor: t.actor,
  ruleset_version: t.ruleset_version,
  at: t.at,
});

export type ContactView = NonNullable<Awaited<ReturnType<typeof loadContactView>>>;

export const TIMELINE_COLUMNS = [
  'seq',
  'id',
  'type',
  'name',
  'ts',
  'session',
  'url',
  'path',
  'title',
  'ref',
  'ref_kind',
  'props',
  'traits',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'campaign',
  'browser',
  'os',
  'device',
  'bot',
] as const satisfies readonly (keyof EventRow)[];

type TimelineRow = Pick<EventRow, (typeof TIMELINE_COLUMNS)[number]>;

export const timelineItem = (row: TimelineRow) => ({
  id: row.id,
  type: row.type,
  name: row.name,
  ts: row.ts,
  session: row.session,
  url: row.url,
  path: row.path,
  title: row.title,
  ref: row.ref,
  ref_kind: row.ref_kind,
  props: readJsonObject(row.props, 'events.props'),
  traits: readJsonObject(row.traits, 'events.traits'),
  campaign: readJsonObject(row.campaign, 'events.campaign'),
  browser: row.browser,
  os: row.os,
  device: row.device,
  bot: row.bot === 1,
});

export type TimelineItem = ReturnType<typeof timelineItem>;

/** Events newest first; the keyset is (ts, seq) so equal timestamps still page exactly. */
export async function loadTimeline(
  db: Kysely<Database>,
  contactId: string,
  limit: number,
  after?: Cursor,
): Promise<{ items: TimelineItem[]; last: TimelineRow | undefined; more: boolean }> {
  let query = db.selectFrom('events').select(TIMELINE_COLUMNS).where('contact_id', '=', contactId);
  if (after) {
    const seq = Number(after.id);
    query = query.where((eb) => eb(eb.refTuple('ts', 'seq'), '<', eb.tuple(after.value, seq)));
  }
  const rows = await query
    .orderBy('ts', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return { items: page.map(timelineItem), last: page.at(-1), more: rows.length > limit };
}
