/** What flows between the ingestion stages. */
import type { Props } from '../../shared/events';
import type { SiteConfig } from '../config';
import type { Place } from '../geo/lookup';
import type { NewEventRow } from '../storage/schema';

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
