/**
 * Stage 4: who is this? Every event of an anonymous id belongs to that id's contact (a
 * `visitor` until named). `identify` names it: an anonymous contact joins the contact that
 * already has the email (its history stitched over) or becomes that contact; two identified
 * contacts are never merged silently — the anonymous id moves on and the conflict is logged.
 */

import type { Kysely } from 'kysely';
import { nanoid } from 'nanoid';
import type { Props } from '../../shared/events';
import { readTraits } from '../json-column';
import { companyDomain, isEmail, normaliseEmail } from '../scoring/core/email';
import type { Ruleset } from '../scoring/core/rules';
import { forUpdate } from '../storage/database';
import type { Database, NewContactRow } from '../storage/schema';
import { companyOf, nameOf, titleOf } from './traits';
import type { PreparedEvent } from './types';

type Trx = Kysely<Database>;

interface ContactIdentity {
  id: string;
  email: string | null;
  user_id: string | null;
  verified: number;
  traits: string;
}

export interface IdentityContext {
  trx: Trx;
  site: string;
  now: number;
  /** anon → contact id, filled from the database and kept current as ids move. */
  anonToContact: Map<string, string>;
  touched: Set<string>;
  /** The ruleset: its title aliases decide the feed's title column. */
  rules: Ruleset;
}

export function newContactRow(site: string, now: number, ts: number): NewContactRow {
  return {
    id: nanoid(),
    site,
    email: null,
    user_id: null,
    name: null,
    company: null,
    title: null,
    domain: null,
    traits: '{}',
    stage: 'visitor',
    score: 0,
    fit: 0,
    engagement: 0,
    grade: null,
    temperature: null,
    breakdown: null,
    scored_at: null,
    ruleset_version: null,
    first_seen: ts,
    last_seen: ts,
    stage_changed_at: now,
    mql_at: null,
    sql_at: null,
    first_touch: null,
    last_touch: null,
    source: null,
    medium: null,
    campaign: null,
    verified: 0,
    created_at: now,
    updated_at: now,
    version: 0,
  };
}

/**
 * Reads (and on PostgreSQL locks, in a fixed order) the mappings of these anonymous ids. The lock
 * matters when another process is folding one of these visitors into a known contact: we wait
 * for it and then see the new owner, instead of writing events to a contact it is deleting.
 */
async function loadAnonMap(ctx: IdentityContext, anons: string[]): Promise<void> {
  if (anons.length === 0) return;
  const rows = await forUpdate(
    ctx.trx,
    ctx.trx
      .selectFrom('anon_ids')
      .select(['anon', 'contact_id'])
      .where('site', '=', ctx.site)
      .where('anon', 'in', anons)
      .orderBy('anon'),
  ).execute();
  for (const row of rows) ctx.anonToContact.set(row.anon, row.contact_id);
}

/**
 * Contacts for anonymous ids seen for the first time, created as visitors in two statements
 * for the whole group. If another process mapped an id first, its contact wins and ours is
 * removed.
 */
async function createVisitors(ctx: IdentityContext, firstSeen: Map<string, number>): Promise<void> {
  if (firstSeen.size === 0) return;
  const rows = [...firstSeen].map(([anon, ts]) => ({ anon, row: newContactRow(ctx.site, ctx.now, ts) }));
  await ctx.trx
    .insertInto('contacts')
    .values(rows.map((r) => r.row))
    .execute();
  const mapped = await ctx.trx
    .insertInto('anon_ids')
    .values(rows.map(({ anon, row }) => ({ site: ctx.site, anon, contact_id: row.id, created_at: ctx.now })))
    .onConflict((oc) => oc.columns(['site', 'anon']).doNothing())
    .returning('anon')
    .execute();
  const won = new Set(mapped.map((r) => r.anon));
  const lost = rows.filter((r) => !won.has(r.anon));
  for (const { anon, row } of rows) if (won.has(anon)) ctx.anonToContact.set(anon, row.id);
  if (lost.length > 0) {
    await ctx.trx
      .deleteFrom('contacts')
      .where(
        'id',
        'in',
        lost.map((r) => r.row.id),
      )
      .execute();
    await loadAnonMap(
      ctx,
      lost.map((r) => r.anon),
    );
  }
}

const isAnonymous = (contact: ContactIdentity) => contact.email === null && contact.user_id === null;

/**
 * The contact an event's anonymous id belongs to (`currentId`) and the contact already known by
 * this email (or, failing that, this user id), read in one query: each identify costs a round
 * trip fewer on PostgreSQL.
 */
async function loadIdentities(
  ctx: IdentityContext,
  currentId: string | null,
  email: string | null,
  userId: string | null,
): Promise<{ current: ContactIdentity | undefined; target: ContactIdentity | undefined }> {
  if (!currentId && !email && !userId) return { current: undefined, target: undefined };
  const rows = await ctx.trx
    .selectFrom('contacts')
    .select(['id', 'site', 'email', 'user_id', 'verified', 'traits'])
    .where((eb) =>
      eb.or([
        ...(currentId ? [eb('id', '=', currentId)] : []),
        ...(email ? [eb.and([eb('site', '=', ctx.site), eb('email', '=', email)])] : []),
        ...(userId ? [eb.and([eb('site', '=', ctx.site), eb('user_id', '=', userId)])] : []),
      ]),
    )
    .execute();
  const identity = ({ site: _site, ...row }: (typeof rows)[number]): ContactIdentity => row;
  const current = currentId ? rows.find((r) => r.id === currentId) : undefined;
  const byEmail = email ? rows.find((r) => r.site === ctx.site && r.email === email) : undefined;
  const byUser =
    !byEmail && userId ? rows.find((r) => r.site === ctx.site && r.user_id === userId) : undefined;
  const target = byEmail ?? byUser;
  // Separate objects even when both are one contact, as two reads gave before.
  return { current: current && identity(current), target: target && identity(target) };
}

async function link(
  ctx: IdentityContext,
  kind: 'merge' | 'conflict' | 'claim',
  from: string | null,
  to: string | null,
  anon: string | null,
  email: string | null,
  detail?: unknown,
) {
  await ctx.trx
    .insertInto('identity_links')
    .values({
      site: ctx.site,
      kind,
      from_contact: from,
      to_contact: to,
      anon,
      email,
      detail: detail === undefined ? null : JSON.stringify(detail),
      at: ctx.now,
      undone_at: null,
    })
    .execute();
}

/** Traits merge: newer values win, nothing is deleted by omission. */
async function applyTraits(
  ctx: IdentityContext,
  contact: ContactIdentity,
  traits: Props | null,
  verified: boolean,
  ids?: { email: string | null; userId: string | null },
) {
  const merged: Props = { ...readTraits(contact.traits), ...(traits ?? {}) };
  const update: Record<string, unknown> = {
    traits: JSON.stringify(merged),
    updated_at: ctx.now,
  };
  const name = nameOf(merged);
  const company = companyOf(merged);
  const title = titleOf(ctx.rules, merged);
  if (name) update.name = name;
  if (company) update.company = company;
  if (title) update.title = title;
  if (verified) update.verified = 1;
  if (ids?.email && !contact.email) update.email = ids.email;
  if (ids?.email && !contact.email) update.domain = companyDomain(ids.email);
  if (ids?.userId && !contact.user_id) update.user_id = ids.userId;
  await ctx.trx.updateTable('contacts').set(update).where('id', '=', contact.id).execute();
  contact.traits = update.traits as string;
}

async function moveAnon(ctx: IdentityContext, anon: string | null, contactId: string) {
  if (!anon) return;
  await ctx.trx
    .updateTable('anon_ids')
    .set({ contact_id: contactId })
    .where('site', '=', ctx.site)
    .where('anon', '=', anon)
    .execute();
  ctx.anonToContact.set(anon, contactId);
}

/** `identify(user, traits)` seen on an event whose anonymous id belongs to `currentId`. */
async function identify(
  ctx: IdentityContext,
  event: PreparedEvent,
  currentId: string | null,
): Promise<string> {
  const user = event.user!.trim();
  const email = isEmail(user) ? normaliseEmail(user) : null;
  const userId = event.userId ?? (email ? null : user);
  const anon = event.row.anon ?? null;
  const { current, target } = await loadIdentities(ctx, currentId, email, userId);

  if (target && current && target.id === current.id) {
    await applyTraits(ctx, target, event.traits, event.signed, { email, userId });
    return target.id;
  }

  if (target) {
    if (target.verified && !event.signed) {
      // Someone claims a verified person's email without proof: recorded, never merged.
      await link(ctx, 'claim', current?.id ?? null, target.id, anon, email ?? userId);
      return current?.id ?? target.id;
    }
    if (current && isAnonymous(current)) {
      // Stitch: the anonymous history becomes the known contact's.
      await ctx.trx
        .updateTable('events')
        .set({ contact_id: target.id })
        .where('contact_id', '=', current.id)
        .execute();
      const moved = await ctx.trx
        .updateTable('anon_ids')
        .set({ contact_id: target.id })
        .where('contact_id', '=', current.id)
        .returning('anon')
        .execute();
      for (const row of moved) ctx.anonToContact.set(row.anon, target.id);
      await ctx.trx.deleteFrom('contacts').where('id', '=', current.id).execute();
      ctx.touched.delete(current.id);
      await link(ctx, 'merge', current.id, target.id, anon, email ?? userId, {
        anons: moved.map((r) => r.anon),
      });
    } else if (current) {
      await link(ctx, 'conflict', current.id, target.id, anon, email ?? userId);
      await moveAnon(ctx, anon, target.id);
    } else {
      await moveAnon(ctx, anon, target.id);
    }
    await applyTraits(ctx, target, event.traits, event.signed, { email, userId });
    return target.id;
  }

  if (current && isAnonymous(current)) {
    // The visitor is named: same contact, now a lead (email, user id and traits in one update).
    await applyTraits(ctx, current, event.traits, event.signed, { email, userId });
    return current.id;
  }

  // A new person (or an anonymous id already named as someone else: never merged silently).
  const row = {
    ...newContactRow(ctx.site, ctx.now, event.row.ts),
    email,
    user_id: userId,
    domain: companyDomain(email),
  };
  await ctx.trx.insertInto('contacts').values(row).execute();
  const created: ContactIdentity = { id: row.id, email, user_id: userId, verified: 0, traits: '{}' };
  if (current) await link(ctx, 'conflict', current.id, created.id, anon, email ?? userId);
  await moveAnon(ctx, anon, created.id);
  await applyTraits(ctx, created, event.traits, event.signed);
  return created.id;
}

/** Segment `alias(userId, previousId)`: the previous anonymous id now means this user. */
async function alias(ctx: IdentityContext, event: PreparedEvent): Promise<string | null> {
  const previous = event.aliasOf!;
  const identified = { ...event, user: event.user } as PreparedEvent;
  const currentId = ctx.anonToContact.get(previous) ?? null;
  return identify(ctx, { ...identified, row: { ...identified.row, anon: previous } }, currentId);
}

/** Sets `contact_id` on every event; returns the contacts whose scores must be refreshed. */
export async function resolveIdentities(ctx: IdentityContext, events: PreparedEvent[]): Promise<void> {
  const anons = [...new Set(events.flatMap((e) => [e.row.anon, e.aliasOf]).filter((a): a is string => !!a))];
  await loadAnonMap(ctx, anons);

  // Bots never create contacts; their events attach only to someone already known.
  const firstSeen = new Map<string, number>();
  for (const { row } of events) {
    if (!row.anon || row.bot || ctx.anonToContact.has(row.anon)) continue;
    firstSeen.set(row.anon, Math.min(firstSeen.get(row.anon) ?? row.ts, row.ts));
  }
  await createVisitors(ctx, firstSeen);

  for (const event of events) {
    const { row } = event;
    let contactId: string | null = row.anon ? (ctx.anonToContact.get(row.anon) ?? null) : null;
    if (!row.bot) {
      if (event.aliasOf && event.user) contactId = await alias(ctx, event);
      else if (event.user) contactId = await identify(ctx, event, contactId);
    }
    row.contact_id = contactId;
    if (contactId) ctx.touched.add(contactId);
  }
}
