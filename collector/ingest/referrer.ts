/**
 * Where did this visit come from? One word per event, the way Plausible and GA bucket them:
 * paid beats everything (a click id or a paid medium), then email, social, search, referral.
 */
import type { Campaign } from '../../shared/events';

export type ReferrerKind = 'paid' | 'email' | 'social' | 'search' | 'referral' | 'internal' | 'direct';

const SEARCH =
  /(^|\.)(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|qwant|startpage|search\.brave|kagi)\./;
const SOCIAL =
  /(^|\.)(facebook|fb|instagram|linkedin|lnkd|t|twitter|x|reddit|youtube|youtu|tiktok|pinterest|threads|mastodon|bsky|news\.ycombinator|quora)\.(com|co|in|net|app|social|be)$/;
const EMAIL = /(^|\.)(mail\.google|outlook\.live|outlook\.office|mail\.yahoo|webmail|mail)\./;
const PAID_MEDIUM =
  /^(cpc|ppc|paid|paidsearch|paid_search|paid-social|paid_social|display|cpm|cpv|retargeting)/i;

export function classifyReferrer(
  ref: string | undefined,
  pageHost: string | null,
  campaign: Campaign | undefined,
): ReferrerKind {
  const medium = campaign?.utm_medium?.toLowerCase();
  if (campaign?.gclid || campaign?.fbclid || campaign?.msclkid || campaign?.li_fat_id) return 'paid';
  if (medium && PAID_MEDIUM.test(medium)) return 'paid';
  if (medium === 'email' || medium === 'newsletter') return 'email';
  if (medium === 'social' || medium === 'social-media') return 'social';
  let host: string | null = null;
  if (ref) {
    try {
      host = new URL(ref).hostname.toLowerCase();
    } catch {
      host = null;
    }
  }
  if (!host) return campaign?.utm_source ? 'referral' : 'direct';
  if (pageHost && host === pageHost) return 'internal';
  if (EMAIL.test(host)) return 'email';
  if (SEARCH.test(host)) return 'search';
  if (SOCIAL.test(host)) return 'social';
  return 'referral';
}
