/** What flows between the ingestion stages. */
import type { Props } from '../../shared/events';
import type { SiteConfig } from '../config';
import type { Place } from '../geo/lookup';
import type { NewEventRow } from '../storage/schema';
import type { Trust } from './keys';

/** Request facts the stages need besides the batch itself. */
export interface RequestContext {
  site: SiteConfig;
  receivedAt: number;
  /** Client IP as seen by the server (truncated before storage). */
  ip: string | null;
  userAgent: string | null;
  /** Country and network looked up from `ip` (set by the pipeline; null when unknown or off). */
  place?: Place | null;
  /** Client `sent_at`, for skew correction. */
  sentAt?: number | undefined;
  /** Server-side sources (the Segment API) are trusted not to be bots by user agent. */
  serverSide?: boolean;
  /** Which kind of write key sent this (default `public`): server keys may send events of any age. */
  trust?: Trust;
  /** Per event, whether its user is proven, when the route has decided it (the Segment API). */
  proven?: boolean[];
  /** Per event, the visitor's user agent and IP when a request carries many visitors' events (Segment batches). */
  perEvent?: (EventOrigin | undefined)[];
}

/** Where one event came from, when it differs from the request's own origin. */
export interface EventOrigin {
  userAgent: string | null;
  ip: string | null;
  serverSide: boolean;
}

/** An event after enrichment: the row to store (contact still unknown) plus what identity needs. */
export interface PreparedEvent {
  row: Omit<NewEventRow, 'contact_id'> & { contact_id: string | null };
  /** identify: the email or user id, and whether its signature was checked. */
  user: string | null;
  /** A separate user id when `user` is an email (Segment sends both). */
  userId?: string | undefined;
  traits: Props | null;
  signed: boolean;
  /** Segment `alias`: the previous id that now means `user`. */
  aliasOf?: string | undefined;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Events not stored, with why (too old, erased person). */
  refused: { id: string; reason: string }[];
}
