/**
 * Sizes and counts the SDK and the collector agree on. The collector enforces them; the SDK
 * stays inside them so that a well-behaved tracker never sees a 4xx.
 */

/** Largest request body, before and after decompression. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Events in one batch. */
export const MAX_EVENTS_PER_BATCH = 100;
/** One event, serialised. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Keys in one props or traits object (counted at every level). */
export const MAX_PROPS = 50;
/** Nesting of props and traits: `{a:{b:{c:1}}}` is depth 3. */
export const MAX_DEPTH = 3;
/** Any string value. */
export const MAX_STRING = 1024;
/** URL and referrer strings. */
export const MAX_URL = 2000;
/** Event ids: nanoid is 21, Segment messageIds are often UUIDs (36); leave room. */
export const MAX_ID = 128;
/** Event names and site keys. */
export const MAX_NAME = 200;
/** An email address, in UTF-8 bytes (RFC 5321's 256-octet path less its angle brackets). */
export const MAX_EMAIL_BYTES = 254;
/** A user id (identify's `user` when it is not an email; Segment's userId, previousId, groupId), in UTF-8 bytes. */
export const MAX_USER_ID_BYTES = 255;

/** Timestamps further in the future than this are clamped to receipt time and flagged. */
export const MAX_FUTURE_MS = 23 * 60 * 60 * 1000;
/** Events older than this are refused: they would rewrite history that reports already showed. */
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** SDK delivery: flush when this many events are waiting… */
export const FLUSH_AT = 10;
/** …or this long after the first one was queued. */
export const FLUSH_INTERVAL_MS = 2000;
/** Attempts per event before the SDK gives up on it. */
export const MAX_ATTEMPTS = 10;
/** Retry backoff bounds (±10 % jitter is applied on top). */
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 60_000;
/** A server's Retry-After is honoured up to this long. */
export const RETRY_AFTER_MAX_MS = 300_000;
/** Queued events older than this are dropped rather than sent late. */
export const SDK_MAX_EVENT_AGE_MS = 12 * 60 * 60 * 1000;
/** Events kept in the persisted queue; the oldest go first. */
export const SDK_MAX_STORED = 100;
/** A session ends after this much inactivity. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
