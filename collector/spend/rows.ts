/**
 * One raw spend row → a checked row in the reporting currency, or the reason it is refused,
 * naming the field: a bad date, a negative cost, a currency that does not exist or has no rate
 * in the config. Names are normalised the way attributed touches are (source-name.ts), so
 * `LinkedIn / Paid Social / Spring Launch` meets the visits tagged `linkedin / paid_social / spring launch`.
 */
import { campaignName, MAX_NAME, mediumName, paidMedium, sourceName } from '../ingest/source-name';
import { isCurrency, rateOf, type SpendConfig } from './config';
import { type DateStyle, type RawSpendRow, SPEND_FIELDS } from './formats';

export interface CheckedSpend {
  day: string;
  source: string;
  medium: string;
  /** '' when not tied to a campaign. */
  campaign: string;
  amount: string;
  currency: string;
  cost_micros: number;
  impressions: number | null;
  clicks: number | null;
}

export interface Refusal {
  field: string;
  reason: string;
}

export type Checked = { ok: true; row: CheckedSpend } | { ok: false; refusal: Refusal };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const pad = (n: number) => String(n).padStart(2, '0');

function calendarDay(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 2000 || y > 2100) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** `2026-11-03` always; `11/3/2026` in LinkedIn's exports; `Nov 3, 2026` in Google Ads'. */
export function parseDay(raw: string, style: DateStyle): string | null {
  const value = raw.trim().slice(0, 40);
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (style === 'us') {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (m) return calendarDay(Number(m[3]), Number(m[1]), Number(m[2]));
  }
  if (style === 'google') {
    m = /^(?:[A-Za-z]{3},\s*)?([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4})$/.exec(value);
    const month = m ? MONTHS.indexOf(m[1]!.toLowerCase()) : -1;
    if (m && month >= 0) return calendarDay(Number(m[3]), month + 1, Number(m[2]));
  }
  return null;
}

/** `1234.5`, `1,234.50` → the decimal text; null when it is not a number. */
function decimal(raw: unknown): string | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : null;
  if (typeof raw !== 'string') return null;
  const value = raw.trim().slice(0, 40);
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) return value.replaceAll(',', '');
  if (/^-?\d{1,15}(\.\d{1,9})?$/.test(value)) return value;
  return null;
}

/** A count (impressions, clicks): absent, `--` (Google Ads' none) or a non-negative integer. */
function count(raw: unknown, field: string): number | null | Refusal {
  if (raw === undefined || raw === null || raw === '' || raw === '--') return null;
  const text = decimal(raw);
  const n = text === null ? Number.NaN : Number(text);
  if (!Number.isInteger(n) || n < 0) return { field, reason: 'must be a whole number ≥ 0' };
  return n;
}

const name = (raw: unknown, field: string): string | null | Refusal => {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') return { field, reason: 'must be text' };
  if (raw.length > MAX_NAME) return { field, reason: `must be at most ${MAX_NAME} characters` };
  return raw.trim() === '' ? null : raw;
};

const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && 'reason' in v;

export function checkRow(raw: RawSpendRow, style: DateStyle, config: SpendConfig): Checked {
  const refuse = (field: string, reason: string): Checked => ({ ok: false, refusal: { field, reason } });
  for (const key of Object.keys(raw)) {
    if (!(SPEND_FIELDS as readonly string[]).includes(key)) return refuse(key, 'unknown field');
  }
  if (raw.date === undefined || raw.date === '') return refuse('date', 'is required');
  const day = typeof raw.date === 'string' ? parseDay(raw.date, style) : null;
  if (!day) return refuse('date', 'is not a date (YYYY-MM-DD)');
  // A row over several days cannot be put on one of them without guessing.
  if (typeof raw.until === 'string' && parseDay(raw.until, style) !== day) {
    return refuse('date', 'the row covers several days: export with a breakdown by day');
  }

  const source = name(raw.source, 'source');
  if (isRefusal(source)) return refuse(source.field, source.reason);
  if (source === null) return refuse('source', 'is required');
  const medium = name(raw.medium, 'medium');
  if (isRefusal(medium)) return refuse(medium.field, medium.reason);
  const campaign = name(raw.campaign, 'campaign');
  if (isRefusal(campaign)) return refuse(campaign.field, campaign.reason);

  if (raw.cost === undefined || raw.cost === '') return refuse('cost', 'is required');
  const amount = decimal(raw.cost);
  if (amount === null) return refuse('cost', 'is not a number');
  if (Number(amount) < 0) return refuse('cost', 'is negative');

  if (raw.currency === undefined || raw.currency === '') return refuse('currency', 'is required');
  const currency = typeof raw.currency === 'string' ? raw.currency.trim().toUpperCase().slice(0, 10) : '';
  if (!/^[A-Z]{3}$/.test(currency) || !isCurrency(currency)) {
    return refuse('currency', `unknown currency ${JSON.stringify(String(raw.currency).slice(0, 10))}`);
  }
  const rate = rateOf(config, currency);
  if (rate === null) {
    return refuse('currency', `no rate for ${currency}: add spend.rates.${currency} to the config`);
  }

  const impressions = count(raw.impressions, 'impressions');
  if (isRefusal(impressions)) return refuse(impressions.field, impressions.reason);
  const clicks = count(raw.clicks, 'clicks');
  if (isRefusal(clicks)) return refuse(clicks.field, clicks.reason);

  const network = sourceName(source);
  return {
    ok: true,
    row: {
      day,
      source: network,
      medium: medium === null ? paidMedium(network) : mediumName(medium, network),
      campaign: campaign === null ? '' : campaignName(campaign),
      amount,
      currency,
      cost_micros: Math.round(Number(amount) * rate * 1_000_000),
      impressions,
      clicks,
    },
  };
}
