/**
 * Who gets a lead: a pure function of (contact, owners, credits, now).
 *
 * 1. Account-sticky: if someone already owns a contact of the same company, they get it (unless
 *    they are out of office).
 * 2. Otherwise the owners whose territories match the contact form the pool (the owners without
 *    territories when no territory matches; everyone when nobody is without one).
 * 3. Within the pool, smooth weighted round-robin over the owners available now (not out of
 *    office, in working hours). Each pick adds every available owner's weight to their credit,
 *    takes the highest credit and subtracts the available weights' sum from it. Owners who are
 *    away earn no credit, so they come back with what they left with: no catch-up burst, and
 *    over any stretch each owner's count stays within one of their weighted share.
 */
import { isOutOfOffice, isWorking } from './calendar';
import type { OwnerConfig, Territory } from './config';

export interface RoutingContact {
  site: string;
  domain: string | null;
  email: string | null;
  /** Two-letter country code, upper case. */
  country: string | null;
  employees: number | null;
}

/** Round-robin credit per owner id, kept per pool. */
export type Credits = Record<string, number>;

export type RouteDecision =
  | { kind: 'account'; owner: string; reason: string }
  | { kind: 'pool'; owner: string; reason: string; pool: string; credits: Credits }
  | { kind: 'nobody'; reason: string };

const emailDomain = (email: string | null) => email?.slice(email.lastIndexOf('@') + 1).toLowerCase() ?? null;

const domainMatches = (domain: string | null, wanted: string) =>
  domain !== null && (domain === wanted || domain.endsWith(`.${wanted}`));

export function territoryMatches(territory: Territory, contact: RoutingContact): boolean {
  if (territory.sites && !territory.sites.includes(contact.site)) return false;
  if (territory.countries && (contact.country === null || !territory.countries.includes(contact.country)))
    return false;
  const size = territory.company_size;
  if (size) {
    if (contact.employees === null) return false;
    if (contact.employees < size.min || (size.max !== undefined && contact.employees > size.max))
      return false;
  }
  if (territory.domains) {
    const domains = [contact.domain, emailDomain(contact.email)];
    if (!territory.domains.some((d) => domains.some((own) => domainMatches(own, d)))) return false;
  }
  return true;
}

export function territoryLabel(territory: Territory): string {
  if (territory.name) return territory.name;
  const parts: string[] = [];
  if (territory.countries) parts.push(territory.countries.join('/'));
  if (territory.company_size) {
    const { min, max } = territory.company_size;
    parts.push(max === undefined ? `${min}+ employees` : `${min}–${max} employees`);
  }
  if (territory.domains) parts.push(territory.domains.join('/'));
  if (territory.sites) parts.push(`site ${territory.sites.join('/')}`);
  return parts.join(', ') || 'any';
}

interface PoolChoice {
  owners: OwnerConfig[];
  /** Which territory each pool member matched, for the reason. */
  matched: Map<string, Territory>;
}

export function poolFor(contact: RoutingContact, owners: readonly OwnerConfig[]): PoolChoice {
  const routable = owners.filter((o) => o.routable);
  const matched = new Map<string, Territory>();
  for (const owner of routable) {
    const territory = owner.territories.find((t) => territoryMatches(t, contact));
    if (territory) matched.set(owner.id, territory);
  }
  if (matched.size > 0) return { owners: routable.filter((o) => matched.has(o.id)), matched };
  const generalists = routable.filter((o) => o.territories.length === 0);
  return { owners: generalists.length > 0 ? generalists : routable, matched };
}

/** The pool's key for its stored credits: its members, so a config change starts a fresh pool. */
export const poolKey = (owners: readonly OwnerConfig[]) => owners.map((o) => o.id).join(',');

/** One smooth weighted round-robin step over the available owners. */
export function pickWeighted(
  available: readonly OwnerConfig[],
  credits: Credits,
): { owner: OwnerConfig; credits: Credits } {
  const next: Credits = { ...credits };
  let total = 0;
  let best: OwnerConfig | undefined;
  for (const owner of available) {
    total += owner.weight;
    next[owner.id] = (next[owner.id] ?? 0) + owner.weight;
    if (!best || next[owner.id]! > next[best.id]!) best = owner;
  }
  if (!best) throw new Error('pickWeighted needs at least one owner');
  next[best.id] = next[best.id]! - total;
  return { owner: best, credits: next };
}

export interface RouteInput {
  contact: RoutingContact;
  owners: readonly OwnerConfig[];
  now: number;
  /** The owner id of another contact of the same account, if any. */
  accountOwner?: string | null | undefined;
  /** Stored credits by pool key. */
  credits: Readonly<Record<string, Credits>>;
}

export function route(input: RouteInput): RouteDecision {
  const { contact, owners, now } = input;
  const notes: string[] = [];
  const sticky = input.accountOwner ? owners.find((o) => o.id === input.accountOwner) : undefined;
  if (sticky && !isOutOfOffice(sticky, now)) {
    return {
      kind: 'account',
      owner: sticky.id,
      reason: `routed to ${sticky.name}: account ${contact.domain ?? emailDomain(contact.email)} already owned by ${sticky.name}`,
    };
  }
  if (sticky) notes.push(`account owner ${sticky.name} out of office`);

  const pool = poolFor(contact, owners);
  const away = pool.owners.filter((o) => isOutOfOffice(o, now));
  const offHours = pool.owners.filter((o) => !away.includes(o) && !isWorking(o, now));
  for (const o of away) notes.push(`${o.name} out of office`);
  for (const o of offHours) notes.push(`${o.name} outside working hours`);
  let available = pool.owners.filter((o) => !away.includes(o) && !offHours.includes(o));
  if (available.length === 0) {
    // Nobody is at work: the lead still gets an owner now (the SLA clock waits for their hours).
    available = pool.owners.filter((o) => !away.includes(o));
    if (available.length > 0) notes.push('nobody in working hours');
  }
  if (available.length === 0) {
    return {
      kind: 'nobody',
      reason: notes.length > 0 ? `no owner available: ${notes.join('; ')}` : 'no owners configured',
    };
  }
  const key = poolKey(pool.owners);
  const { owner, credits } = pickWeighted(available, input.credits[key] ?? {});
  const territory = pool.matched.get(owner.id);
  const why = [
    territory ? `territory ${territoryLabel(territory)}` : 'no territory',
    `weight ${owner.weight}`,
  ];
  return {
    kind: 'pool',
    owner: owner.id,
    pool: key,
    credits,
    reason: [`routed to ${owner.name}: ${why.join(', ')}`, ...notes].join('; '),
  };
}

/** The routing facts of a contact's traits: `country` (two letters) and company size. */
export function routingFacts(traits: Record<string, unknown>): Pick<RoutingContact, 'country' | 'employees'> {
  const country =
    typeof traits.country === 'string' && /^[A-Za-z]{2}$/.test(traits.country)
      ? traits.country.toUpperCase()
      : null;
  let employees: number | null = null;
  for (const value of [traits.employees, traits.company_size]) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) employees = value;
    else if (typeof value === 'string') {
      const lead = /^\s*(\d{1,9})/.exec(value.slice(0, 40));
      if (lead) employees = Number(lead[1]);
    }
    if (employees !== null) break;
  }
  return { country, employees };
}
