/**
 * One name per network, the way UTM sources are written: a visit from `www.google.co.uk` is
 * `google / organic`, a Google Ads click is `google / cpc`, a LinkedIn post is `linkedin / social`
 * and a LinkedIn ad `linkedin / paid_social`. The same functions name touches at ingest, name
 * stored values again when a report reads them (they are idempotent, so old rows stored as
 * `www.google.com / search` read as `google / organic`), and name imported spend rows, so spend
 * and conversions meet on the same key.
 */

export const MAX_NAME = 200;

/** Hosts and UTM spellings of each network, matched on the registrable part of the host. */
const NETWORKS: readonly [name: string, pattern: RegExp][] = [
  ['google', /^(google|googleads|google_ads|google-ads|adwords|googlesyndication|doubleclick)$/],
  ['bing', /^(bing|microsoft|microsoftads|microsoft_ads|microsoft-ads|msn)$/],
  ['facebook', /^(facebook|fb|m\.facebook|l\.facebook|lm\.facebook|meta)$/],
  ['instagram', /^(instagram|ig|l\.instagram)$/],
  ['linkedin', /^(linkedin|lnkd)$/],
  ['twitter', /^(twitter|x|t)$/],
  ['youtube', /^(youtube|youtu)$/],
  ['reddit', /^(reddit|old\.reddit)$/],
  ['duckduckgo', /^duckduckgo$/],
  ['yahoo', /^(yahoo|search\.yahoo)$/],
  ['baidu', /^baidu$/],
  ['yandex', /^yandex$/],
  ['ecosia', /^ecosia$/],
  ['tiktok', /^tiktok$/],
  ['hacker_news', /^news\.ycombinator$/],
];

/** Networks whose paid medium is `cpc` (search ads); the rest buy `paid_social`. */
const SEARCH_NETWORKS = new Set(['google', 'bing', 'duckduckgo', 'yahoo', 'baidu', 'yandex', 'ecosia']);

/** Medium spellings that mean the same thing. */
const MEDIUM_ALIASES: Record<string, string> = {
  ppc: 'cpc',
  paidsearch: 'cpc',
  paid_search: 'cpc',
  'paid-search': 'cpc',
  'paid search': 'cpc',
  paidsocial: 'paid_social',
  'paid-social': 'paid_social',
  'paid social': 'paid_social',
  search: 'organic',
  'organic-search': 'organic',
  organic_search: 'organic',
  'social-media': 'social',
  social_media: 'social',
  'e-mail': 'email',
  newsletter: 'email',
};

const clean = (value: string) => value.slice(0, MAX_NAME).trim().toLowerCase().replace(/\s+/g, ' ');

/** `https://www.google.co.uk/search` or `Google` → `google`; an unknown host keeps its name minus `www.`. */
export function sourceName(raw: string): string {
  let value = clean(raw);
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(value)) {
    try {
      value = new URL(value).hostname;
    } catch {
      // Not a URL after all: keep the text.
    }
  }
  const host = value.replace(/^www\d?\./, '').replace(/\.$/, '');
  // The label(s) before the public suffix: google.co.uk → google, m.facebook.com → m.facebook.
  const bare = host
    .replace(/\.(com?|co|org|net|in|be|app|social|ai)(\.[a-z]{2})?$/, '')
    .replace(/\.[a-z]{2}$/, '');
  for (const [name, pattern] of NETWORKS) {
    if (pattern.test(bare) || pattern.test(host)) return name;
  }
  return host || value;
}

/** The medium a paid visit from this network gets when nothing else names it. */
export const paidMedium = (source: string): string => (SEARCH_NETWORKS.has(source) ? 'cpc' : 'paid_social');

/**
 * A UTM medium, or a referrer kind (search, social, email, referral, paid) stored by older
 * versions, in one vocabulary: `organic` for search, `cpc` / `paid_social` for paid.
 */
export function mediumName(raw: string, source: string): string {
  const value = clean(raw);
  if (value === 'paid') return paidMedium(source);
  return MEDIUM_ALIASES[value] ?? value;
}

/** Campaign names compare case- and space-insensitively: `Spring Launch ` = `spring launch`. */
export const campaignName = (raw: string): string => clean(raw);

export interface ClickIds {
  gclid?: unknown;
  msclkid?: unknown;
  fbclid?: unknown;
  li_fat_id?: unknown;
}

/** The network an ad click id belongs to, for paid visits that carry no utm_source. */
export function clickIdSource(ids: ClickIds | null): string | null {
  if (!ids) return null;
  if (ids.gclid) return 'google';
  if (ids.msclkid) return 'bing';
  if (ids.li_fat_id) return 'linkedin';
  if (ids.fbclid) return 'facebook';
  return null;
}

/** Referrer kinds as media: what a visit without utm_medium is called. */
const KIND_MEDIUM: Record<string, string> = {
  search: 'organic',
  social: 'social',
  email: 'email',
  referral: 'referral',
  direct: '(none)',
};

export interface NamedTouch {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

/** Source / medium / campaign of one visit, from its UTM values, referrer host, click ids and kind. */
export function nameTouch(input: {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  refHost: string | null;
  kind: string;
  clickIds: ClickIds | null;
}): NamedTouch {
  const fromClick = input.utmSource ? null : clickIdSource(input.clickIds);
  const rawSource = input.utmSource ?? fromClick ?? input.refHost;
  const source = rawSource ? sourceName(rawSource) : input.kind === 'direct' ? '(direct)' : null;
  let medium: string | null;
  if (input.utmMedium) medium = mediumName(input.utmMedium, source ?? '');
  else if (input.kind === 'paid') medium = source ? paidMedium(source) : 'paid';
  else medium = KIND_MEDIUM[input.kind] ?? input.kind;
  const campaign = input.utmCampaign ? campaignName(input.utmCampaign) : null;
  return { source, medium, campaign: campaign || null };
}

/** Stored source / medium (contacts' columns, old touches) read in today's names. */
export function storedName(source: string | null, medium: string | null) {
  if (source === null || source.startsWith('(')) return { source, medium };
  const name = sourceName(source);
  return {
    source: name,
    medium: medium === null || medium.startsWith('(') ? medium : mediumName(medium, name),
  };
}
