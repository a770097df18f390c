/**
 * The wire format of `POST /collect` (the README's wire-format section). These types are the contract: the SDK builds
 * them, `schema.ts` validates them at the collector, and a type-level check there keeps the two
 * from drifting apart.
 */

/** Props and traits: flat-ish JSON (depth ≤ 3, see limits.ts). */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type Props = { [key: string]: JsonValue };

/** Campaign parameters in force for an event's session (first touch lives in storage). */
export interface Campaign {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
  gclid?: string;
  fbclid?: string;
  msclkid?: string;
  li_fat_id?: string;
  ref?: string;
}

export const CAMPAIGN_KEYS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'gclid',
  'fbclid',
  'msclkid',
  'li_fat_id',
  'ref',
] as const satisfies readonly (keyof Campaign)[];

export type EventType = 'page' | 'track' | 'identify';

export interface WireEvent {
  /** Unique per event (nanoid); the collector ignores an id it has already stored. */
  id: string;
  type: EventType;
  /** `track`: the event name. Unused for `page` and `identify`. */
  name?: string;
  /** Client time, ms since epoch; corrected server-side by `sent_at` skew. */
  ts: number;
  /** Anonymous id (first-party, persisted by the SDK). */
  anon?: string;
  session?: string;
  url?: string;
  ref?: string;
  title?: string;
  props?: Props;
  /** `identify`: profile traits (name, company, title, …). */
  traits?: Props;
  /** `identify`: the email or the site's own user id. */
  user?: string;
  /** Signed identify: hex HMAC-SHA256(identity_secret, user) from the site's backend. */
  hmac?: string;
  campaign?: Campaign;
  /** Set to 1 by the SDK when `navigator.webdriver` says the browser is automated. */
  auto?: 1;
}

export interface Batch {
  /** The site's public key. */
  site: string;
  /** Client time when the batch was sent, to correct clock skew. */
  sent_at?: number;
  events: WireEvent[];
}

/** Event names the SDK emits for automatic captures; default scoring rules match on them. */
export const EVENT_NAMES = {
  download: 'download',
  outbound: 'outbound',
  chat: 'chat',
  form: 'form_submit',
} as const;

/** `props.pricing === true` marks a page view of a pricing page. */
export const PRICING_FLAG = 'pricing';

export type ChatAction = 'open' | 'message' | 'email';
