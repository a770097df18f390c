/**
 * Who is visiting, kept in one localStorage record (`_lt`) so an event costs one read and one
 * write: the anonymous id (mirrored in the first-party cookie `_lt_id`, one year from the last
 * visit, for the site's own server code), the session (a new one after 30 idle
 * minutes, or when a page brings a campaign other than the session's: the last touch), the
 * first touch (landing URL and referrer of the very first visit) and the consent answer.
 */
import { SESSION_IDLE_MS } from '../shared/limits';
import { campaignOf } from './campaign';
import { get, set } from './storage';

export const VISITOR_KEY = '_lt';
const YEAR_S = 365 * 24 * 3600;

/** The stored record. Short keys: they are spelled out in the script every visitor downloads. */
export interface Visitor {
  /** anonymous id */
  a?: string;
  /** session id */
  s?: string;
  /** last activity, ms */
  t?: number;
  /** campaign parameters that started the session (its last touch) */
  c?: string;
  /** first touch */
  f?: { url: string; referrer: string; ts: number };
  /** consent answer: 1 granted, 0 refused */
  k?: number;
}

/**
 * Ids for events, anonymous visitors and sessions: the time in ms, then 96 random bits, all as
 * digits. Time first so that new ids sort after old ones: the collector's unique index on
 * event ids then grows at one end instead of taking a random page on every insert.
 */
export const uid = (): string => Date.now() + crypto.getRandomValues(new Uint32Array(3)).join('');

export const visitor = (): Visitor => get<Visitor>(VISITOR_KEY) || {};

/** Writes the anonymous-id cookie; `maxAge` 0 deletes it. */
export const idCookie = (value: string, maxAge = YEAR_S): void => {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
  document.cookie = `_lt_id=${value};max-age=${maxAge};path=/;SameSite=Lax`;
};

/**
 * Records activity at `now` and returns the record (anonymous id `a`, session `s`). The first
 * event ever is the landing page's view, so the first touch is that page and its referrer.
 */
export function visit(now: number): Visitor {
  const v = visitor();
  const campaign = campaignOf();
  v.a ||= uid();
  if (!v.s || now - v.t! > SESSION_IDLE_MS || (campaign && campaign !== v.c)) {
    v.s = uid();
    v.c = campaign;
  }
  v.t = now;
  v.f ||= { url: location.href, referrer: document.referrer, ts: now };
  set(VISITOR_KEY, v);
  idCookie(v.a);
  return v;
}

/** Forgets the visitor (new ids from the next event on), keeping only the consent answer `k`. */
export function forget(k = visitor().k): void {
  set(VISITOR_KEY, { k });
  idCookie('', 0);
}
