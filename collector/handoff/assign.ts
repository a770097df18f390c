/**
 * The hand-off shell, run in the transaction that records transitions (outbox/enqueue.ts calls it
 * for every caller): a contact that becomes an MQL, or an SQL without an owner, gets one (pure
 * routing in routing.ts), its SLA clock starts (sla.ts), and its alerts join the outbox; a sales
 * answer (accept or reject) stops the clock. Everything commits with the move or not at all.
 */
import type { Kysely } from 'kysely';
import { nanoid } from 'nanoid';
import type { Config } from '../config';
import { readJson, readTraits } from '../json-column';
import { forUpdate } from '../storage/database';
import type { Database, TransitionRow } from '../storage/schema';
import type { AlertEvent, OwnerConfig } from './config';
import { type Credits, type RouteDecision, route, routingFacts } from './routing';
import { slaDueAt, slaRuleFor } from './sla';
import { alertTargets } from './targets';

/** Sales moves that answer a lead: accepting (or qualifying further) or rejecting it. */
const ANSWERS = new Set(['sal', 'sql', 'opportunity', 'customer', 'recycled', 'disqualified']);

/** What an alert's outbox row carries until its message is built at the first attempt. */
export interface QueuedAlert {
  alert: AlertEvent;
  contact_id: string;
  owner: string | null;
  /** The transition that caused it (MQL/SQL), or the clock that ran out (breach). */
  transition_id?: number | undefined;
  routing_reason?: string | null | undefined;
  due_at?: number | null | undefined;
  /** For an escalation: the owner who let the clock run out. */
  escalated_from?: string | undefined;
}

export async function enqueueAlerts(
  trx: Kysely<Database>,
  config: Config,
  queued: QueuedAlert,
  to: OwnerConfig | undefined,
  now: number,
): Promise<void> {
  const targets = alertTargets(config, to, queued.alert);
  if (targets.length === 0) return;
  await trx
    .insertInto('outbox')
    .values(
      targets.map((target) => ({
        id: `alt_${nanoid()}`,
        webhook: target,
        event: `alert.${queued.alert}`,
        contact_id: queued.contact_id,
        payload: JSON.stringify(queued),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        delivered_at: null,
      })),
    )
    .execute();
}

async function loadCredits(trx: Kysely<Database>, pools: string[]): Promise<Record<string, Credits>> {
  const credits: Record<string, Credits> = {};
  for (const pool of pools) {
    const row = await forUpdate(
      trx,
      trx.selectFrom('routing_credits').select('credits').where('pool', '=', pool),
    ).executeTakeFirst();
    credits[pool] = readJson<Credits>(row?.credits, 'routing_credits.credits') ?? {};
  }
  return credits;
}

async function saveCredits(trx: Kysely<Database>, pool: string, credits: Credits, now: number) {
  const text = JSON.stringify(credits);
  await trx
    .insertInto('routing_credits')
    .values({ pool, credits: text, updated_at: now })
    .onConflict((oc) => oc.column('pool').doUpdateSet({ credits: text, updated_at: now }))
    .execute();
}

type ContactForRouting = {
  id: string;
  site: string;
  domain: string | null;
  email: string | null;
  traits: string;
};

/** Routes one contact with the stored credits, and stores the credits it used. */
export async function decideOwner(
  trx: Kysely<Database>,
  config: Config,
  contact: ContactForRouting,
  now: number,
  exclude?: string,
): Promise<RouteDecision> {
  const owners = exclude ? config.owners.filter((o) => o.id !== exclude) : config.owners;
  const account = contact.domain
    ? await trx
        .selectFrom('contacts')
        .select('owner')
        .where('site', '=', contact.site)
        .where('domain', '=', contact.domain)
        .where('owner', 'is not', null)
        .where('id', '<>', contact.id)
        .orderBy('owner_at')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const input = {
    contact: { ...contact, ...routingFacts(readTraits(contact.traits)) },
    owners,
    now,
    accountOwner: account?.owner === exclude ? null : account?.owner,
  };
  // Route once without credits to learn the pool, then again with its stored credits (locked).
  const probe = route({ ...input, credits: {} });
  if (probe.kind !== 'pool') return probe;
  const decision = route({ ...input, credits: await loadCredits(trx, [probe.pool]) });
  if (decision.kind === 'pool') await saveCredits(trx, decision.pool, decision.credits, now);
  return decision;
}

/** Writes an owner (or none) onto a contact and into its assignment history. */
export async function recordAssignment(
  trx: Kysely<Database>,
  contact: { id: string; site: string; owner: string | null },
  owner: string | null,
  reason: string,
  actor: string,
  now: number,
): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ owner, owner_reason: reason, owner_at: now })
    .where('id', '=', contact.id)
    .execute();
  await trx
    .insertInto('assignments')
    .values({
      contact_id: contact.id,
      site: contact.site,
      owner,
      previous_owner: contact.owner,
      reason,
      actor,
      at: now,
    })
    .execute();
}

export const ownerById = (config: Config, id: string | null | undefined): OwnerConfig | undefined =>
  id ? config.owners.find((o) => o.id === id) : undefined;

/** Starts the stage's SLA clock in the owner's working hours (calendar time without an owner). */
export function clockFor(config: Config, stage: string, owner: OwnerConfig | undefined, start: number) {
  const rule = slaRuleFor(config.sla, stage);
  if (!rule) return null;
  const calendar = owner ?? { time_zone: 'UTC', working_hours: undefined, out_of_office: [] };
  return slaDueAt(start, rule.minutes, calendar);
}

export async function handOff(
  trx: Kysely<Database>,
  config: Config,
  transitions: readonly TransitionRow[],
  now: number,
): Promise<void> {
  if (config.owners.length === 0 && config.alerts.slack.length === 0 && config.sla.length === 0) return;
  for (const t of transitions) {
    const contact = await trx
      .selectFrom('contacts')
      .select([
        'id',
        'site',
        'domain',
        'email',
        'traits',
        'owner',
        'owner_reason',
        'sla_due_at',
        'sla_answered_at',
      ])
      .where('id', '=', t.contact_id)
      .executeTakeFirst();
    if (!contact) continue;
    if (
      t.actor !== 'auto' &&
      ANSWERS.has(t.to_stage) &&
      contact.sla_due_at !== null &&
      contact.sla_answered_at === null
    ) {
      await trx.updateTable('contacts').set({ sla_answered_at: t.at }).where('id', '=', contact.id).execute();
    }
    const stage = t.to_stage === 'mql' || t.to_stage === 'sql' ? t.to_stage : undefined;
    // A sales move to SQL is their own answer: it needs an owner only if it has none.
    if (!stage || (t.actor !== 'auto' && contact.owner !== null)) continue;
    let owner = contact.owner;
    let reason = contact.owner_reason;
    if (owner === null && config.owners.length > 0) {
      const decision = await decideOwner(trx, config, contact, now);
      owner = decision.kind === 'nobody' ? null : decision.owner;
      reason = decision.reason;
      await recordAssignment(trx, contact, owner, decision.reason, 'routing', now);
    }
    const ownerConfig = ownerById(config, owner);
    const due = t.actor === 'auto' ? clockFor(config, stage, ownerConfig, t.at) : null;
    if (due !== null) {
      await trx
        .updateTable('contacts')
        .set({ sla_started_at: t.at, sla_due_at: due, sla_answered_at: null, sla_breached_at: null })
        .where('id', '=', contact.id)
        .execute();
    }
    const alert: QueuedAlert = {
      alert: stage,
      contact_id: contact.id,
      owner,
      transition_id: t.id,
      routing_reason: reason,
      due_at: due,
    };
    await enqueueAlerts(trx, config, alert, ownerConfig, now);
  }
}
