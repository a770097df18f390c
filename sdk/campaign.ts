/**
 * Campaign parameters of the current page. The collector reads them from each page view's URL
 * (and classifies the referrer); the SDK needs them only to start a new session when a new
 * campaign brings the visitor back (visitor.ts).
 */

/** The query parameters of shared/events.ts CAMPAIGN_KEYS (utm_*, the ad click ids, ref), with a value. */
export const CAMPAIGN_PARAMS = /[?&](utm_\w+|gclid|fbclid|msclkid|li_fat_id|ref)=[^&]+/g;

/** The page's campaign parameters as they appear in its query string ('' when none). */
export const campaignOf = (): string => `${location.search.match(CAMPAIGN_PARAMS) || ''}`;
