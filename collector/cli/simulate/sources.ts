/**
 * Where visitors come from: the campaigns and referrers a B2B site sees. Each session starts
 * from one source; its campaign parameters go on the landing URL, as an ad or email link would.
 */
import type { Campaign } from '../../../shared/events';
import type { Random } from './random';

export type SourceKey =
  | 'google'
  | 'google_ads'
  | 'linkedin'
  | 'linkedin_ads'
  | 'newsletter'
  | 'partner'
  | 'direct';

export interface Source {
  key: SourceKey;
  /** The referring page (document.referrer), absent for direct and email traffic. */
  ref?: string;
  campaign?: Campaign;
}

const SEARCH_TERMS = [
  'schema drift detection',
  'managed elt',
  'data pipeline monitoring',
  'cdc postgres snowflake',
];

export function drawSource(key: SourceKey, rng: Random): Source {
  switch (key) {
    case 'google':
      return { key, ref: 'https://www.google.com/' };
    case 'google_ads':
      return {
        key,
        ref: 'https://www.google.com/',
        campaign: {
          utm_source: 'google',
          utm_medium: 'cpc',
          utm_campaign: rng.pick(['brand-search', 'schema-drift-keywords']),
          utm_term: rng.pick(SEARCH_TERMS),
          gclid: rng.id(24),
        },
      };
    case 'linkedin':
      return { key, ref: 'https://www.linkedin.com/' };
    case 'linkedin_ads':
      return {
        key,
        ref: 'https://www.linkedin.com/',
        campaign: {
          utm_source: 'linkedin',
          utm_medium: 'paid_social',
          utm_campaign: 'q4-field-guide',
          utm_content: rng.pick(['carousel', 'single-image', 'document-ad']),
          li_fat_id: rng.id(16),
        },
      };
    case 'newsletter':
      return {
        key,
        campaign: {
          utm_source: 'newsletter',
          utm_medium: 'email',
          utm_campaign: rng.pick(['pipeline-letter-46', 'pipeline-letter-47']),
        },
      };
    case 'partner':
      return {
        key,
        ref: 'https://marketplace.cloudwarehouse.dev/apps/northwind-pipelines',
        campaign: {
          utm_source: 'cloudwarehouse',
          utm_medium: 'partner',
          utm_campaign: 'marketplace-listing',
        },
      };
    case 'direct':
      return { key };
  }
}

/** A source drawn from weighted keys. */
export const sourceFrom = (rng: Random, weights: readonly (readonly [SourceKey, number])[]): Source =>
  drawSource(rng.weighted(weights), rng);

/** The landing URL's query string: the campaign, as an ad or email link carries it. */
export function campaignQuery(campaign: Campaign | undefined): string {
  if (!campaign) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(campaign)) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}
